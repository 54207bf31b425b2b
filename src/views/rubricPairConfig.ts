// Writes the rubric file's pairing settings (noise floors, direction, weights) for the pair views.
import type { RubricSet } from '../score/RubricFile.js';
import type { Store } from '../sink/Store.js';
import { PAIR_SETTING_KEYS, PAIR_TABLES } from '../names.js';

/** How one rubric's scores turn into pairs (Path A) and session outcomes. */
export interface RubricPairDescriptor {
  rubricId: string;
  rubricVersion: string;
  /** A combined-score gap at or below this is noise: no pair. */
  noiseFloor: number;
  higherIsBetter: boolean;
  /** Weight in the combined score; 0 keeps the rubric out of Path A. */
  weight: number;
  /** True for a task-completion rubric: its latest result in a session says whether it resolved. */
  taskCompletion?: boolean;
  /** Score at or past which a task-completion rubric counts as resolved (default 0.5). */
  passThreshold?: number;
  /** The rubric file's agreement_floor: Path A pairs need human agreement above it (default 0.5). */
  agreementFloor?: number;
}

/** One descriptor per rubric that feeds pairs. */
export function pairDescriptors(set: RubricSet): RubricPairDescriptor[] {
  return set.rubrics
    .filter((r) => r.pairs !== null)
    .map((r) => ({
      rubricId: r.id,
      rubricVersion: r.version,
      noiseFloor: r.noiseFloor,
      higherIsBetter: r.higherIsBetter,
      weight: r.pairs!.weight,
      ...(set.agreementFloor !== undefined ? { agreementFloor: set.agreementFloor } : {}),
    }));
}

/** Checks descriptors; returns every problem (empty when valid). Pure. */
export function rubricPairProblems(descriptors: readonly RubricPairDescriptor[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of descriptors) {
    const name = `rubric ${JSON.stringify(d.rubricId)}@${JSON.stringify(d.rubricVersion)}`;
    if (d.rubricId === '') problems.push(`${name}: rubricId is empty`);
    const key = `${d.rubricId}@${d.rubricVersion}`;
    if (seen.has(key)) problems.push(`${name}: listed twice`);
    seen.add(key);
    if (!Number.isFinite(d.noiseFloor) || d.noiseFloor < 0)
      problems.push(`${name}: noiseFloor must be a number >= 0, got ${d.noiseFloor}`);
    if (!Number.isFinite(d.weight) || d.weight < 0)
      problems.push(`${name}: weight must be a number >= 0, got ${d.weight}`);
    if (d.passThreshold !== undefined && !Number.isFinite(d.passThreshold))
      problems.push(`${name}: passThreshold must be a number, got ${d.passThreshold}`);
    if (d.agreementFloor !== undefined && !(d.agreementFloor >= 0 && d.agreementFloor <= 1))
      problems.push(`${name}: agreementFloor must be a number from 0 to 1, got ${d.agreementFloor}`);
  }
  return problems;
}

/**
 * Stores one generation of rubric pairing settings; the views read only the latest generation, so
 * a rubric dropped from the file stops pairing. A marker row (RubricId '') makes even an empty
 * rubric list a generation. `now` is the generation stamp (millisecond resolution).
 */
export async function writeRubricPairConfig(
  store: Store,
  descriptors: readonly RubricPairDescriptor[],
  now: Date = new Date(),
): Promise<void> {
  const problems = rubricPairProblems(descriptors);
  if (problems.length > 0)
    throw new Error(`rubric pairing settings are invalid (fix the rubric file):\n  ${problems.join('\n  ')}`);
  // DateTime64(3) takes an integer string as milliseconds (ticks of its scale).
  const updatedAt = String(now.getTime());
  const rows = [
    { UpdatedAt: updatedAt, RubricId: '', RubricVersion: '', NoiseFloor: 0, HigherIsBetter: 1, Weight: 0 },
    ...descriptors.map((d) => ({
      UpdatedAt: updatedAt,
      RubricId: d.rubricId,
      RubricVersion: d.rubricVersion,
      NoiseFloor: d.noiseFloor,
      HigherIsBetter: d.higherIsBetter ? 1 : 0,
      Weight: d.weight,
      TaskCompletion: d.taskCompletion ? 1 : 0,
      PassThreshold: d.passThreshold ?? 0.5,
    })),
  ];
  await store.insert(PAIR_TABLES.rubricPairConfig, rows);
  // Several rubric files may feed one store: the strictest floor holds.
  const floors = descriptors.flatMap((d) => (d.agreementFloor === undefined ? [] : [d.agreementFloor]));
  if (floors.length > 0) {
    await store.insert(PAIR_TABLES.pairSettings, [
      { Key: PAIR_SETTING_KEYS.agreementFloor, Value: String(Math.max(...floors)), UpdatedAt: updatedAt },
    ]);
  }
}

/** Settings the pair views read; unset ones keep their defaults. */
export interface PairSettings {
  /** Annotation name that carries thumbs (default `user_feedback`). */
  feedbackName?: string;
  /** Span attribute whose value says whether a session resolved (default `session.outcome`). */
  sessionOutcomeAttribute?: string;
}

/** Stores pair settings (latest write per key wins). */
export async function writePairSettings(
  store: Store,
  settings: PairSettings,
  now: Date = new Date(),
): Promise<void> {
  const rows: Array<{ Key: string; Value: string; UpdatedAt: string }> = [];
  // DateTime64(3) takes an integer string as milliseconds (ticks of its scale).
  const updatedAt = String(now.getTime());
  if (settings.feedbackName !== undefined)
    rows.push({ Key: PAIR_SETTING_KEYS.feedbackName, Value: settings.feedbackName, UpdatedAt: updatedAt });
  if (settings.sessionOutcomeAttribute !== undefined)
    rows.push({
      Key: PAIR_SETTING_KEYS.sessionOutcomeAttribute,
      Value: settings.sessionOutcomeAttribute,
      UpdatedAt: updatedAt,
    });
  if (rows.length > 0) await store.insert(PAIR_TABLES.pairSettings, rows);
}
