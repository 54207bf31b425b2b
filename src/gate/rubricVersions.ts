// Which rubric file version a hold-out was exported under, against the one the gate scores with.
import { judgeVersion } from '../labels/calibration/judgeCalibration.js';
import type { RubricSet } from '../score/RubricFile.js';
import type { Holdout } from './holdout.js';

/** The judge versions behind the rubric file's llm_judge scores, so a run joins to their calibrations. */
export function rubricJudges(set: RubricSet): string[] {
  return set.rubrics.flatMap((r) => (r.judge ? [judgeVersion(r, r.judge.model)] : []));
}

/** `used`: every rubric as `id@version` the gate scores with; `warning` when the hold-out's differ or are unknown. */
export function rubricVersionCheck(
  holdout: Holdout,
  set: RubricSet,
  rubricFile: string,
): { used: string[]; warning?: string } {
  const used = set.rubrics.map((r) => `${r.id}@${r.version}`);
  const current = `the gate scores with ${rubricFile} (rubric file version ${set.hash})`;
  const manifest = holdout.manifest;
  if (!manifest)
    return {
      used,
      warning: `no manifest.json beside ${holdout.path}: which rubric file version it was exported under is unknown; ${current}`,
    };
  const now = new Map(set.rubrics.map((r) => [r.id, r.version]));
  const idOf = (v: string) => (v.includes('@') ? v.slice(0, v.indexOf('@')) : v);
  // A rubric the file no longer has differs too: its pairs were made under a definition the gate cannot score.
  const differ = manifest.rubricVersions.filter((v) => `${idOf(v)}@${now.get(idOf(v))}` !== v);
  if (differ.length === 0) return { used };
  const nowOf = (v: string) =>
    now.has(idOf(v)) ? `${idOf(v)}@${now.get(idOf(v))}` : `${idOf(v)} (no longer in the file)`;
  return {
    used,
    warning:
      `the hold-out was exported under other rubric versions (${differ.join(', ')}, per ${manifest.path}); ` +
      `${current}: ${differ.map(nowOf).join(', ')}`,
  };
}
