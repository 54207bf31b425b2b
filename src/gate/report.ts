// The gate report: the Markdown and terminal renderings, and the files under --out.
import { join } from 'node:path';
import { prepareOutDir } from '../export/outDir.js';
import { writeFileReplacing } from '../export/exclusiveFile.js';
import type { RubricComparison } from './compare.js';
import { judgesOf } from './GateReport.js';
import type { GateReport } from './GateReport.js';
import { renderHtml } from './reportHtml.js';
import { describePreference, num, plain } from './verdict.js';

export type { GateReport } from './GateReport.js';

function ci(c: readonly [number, number]): string {
  return `[${num(c[0])}, ${num(c[1])}]`;
}

function passCell(r: RubricComparison): string {
  const p = r.pass_rate;
  if (!p) return '';
  const rates = `${(p.baseline * 100).toFixed(0)}% → ${(p.candidate * 100).toFixed(0)}%`;
  return p.p === undefined ? rates : `${rates} (−${p.lost} +${p.gained}, McNemar p=${p.p.toPrecision(3)})`;
}

function rubricRows(rows: readonly RubricComparison[]): string[][] {
  return rows.map((r) => [
    `${r.id}${r.critical ? ' (critical)' : ''}`,
    plain(r.baseline),
    plain(r.candidate),
    num(r.delta),
    ci(r.ci),
    passCell(r),
    String(r.n),
  ]);
}

const HEAD = ['rubric', 'baseline', 'candidate', 'delta', '95% CI', 'pass rate', 'n'];

export function renderMarkdown(r: GateReport): string {
  const table = (rows: readonly RubricComparison[]) => [
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
    ...rubricRows(rows).map((cells) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
  ];
  const lines = [
    `# Release gate: ${r.verdict.toUpperCase()}`,
    '',
    `Candidate \`${r.candidate.model}\` (${r.candidate.url}) against baseline \`${r.baseline.model}\` (${r.baseline.url}); run ${r.run_id}, ${r.started_at}.`,
    `Rubric file ${r.rubric_file.path}, version ${r.rubric_file.version}; judges: ${judgesOf(r).join(', ') || 'none'}.`,
    r.holdout
      ? `Hold-out ${r.holdout.path} (${r.holdout.format}, ${r.holdout.prompts} prompts, ${r.holdout.pairs} pairs, sha256 ${r.holdout.hash})` +
        (r.holdout.manifest
          ? `, manifest ${r.holdout.manifest.path} (sha256 ${r.holdout.manifest.hash}).`
          : ', no manifest.')
      : `Production traffic from ${r.window?.since} to ${r.window?.until}.`,
    '',
    '## Reasons',
    '',
    ...r.reasons.map((x) => `- ${x}`),
    ...(r.warnings.length > 0 ? ['', '## Warnings', '', ...r.warnings.map((x) => `- ${x}`)] : []),
    '',
    '## Rubrics',
    '',
    ...table([...r.rubrics, r.combined]),
    '',
    '## Preference accuracy',
    '',
    r.preference_accuracy
      ? `${describePreference(r.preference_accuracy)}; floor ${r.preference_accuracy.floor}.`
      : 'Not measured.',
  ];
  for (const c of r.classes ?? [])
    lines.push('', `## Prompt class ${c.prompt_class}`, '', ...table([...c.rubrics, c.combined]));
  return lines.join('\n') + '\n';
}

/** The terminal summary (`--format table`). */
export function renderTable(r: GateReport): string {
  const rows = [HEAD, ...rubricRows([...r.rubrics, r.combined])];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return (
    [
      `verdict: ${r.verdict} (exit ${r.exit_code})`,
      ...r.reasons.map((x) => `  - ${x}`),
      '',
      ...rows.map((row) =>
        row
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      ),
      '',
      `preference accuracy: ${r.preference_accuracy ? describePreference(r.preference_accuracy) : 'not measured'}`,
      // Always said, warning or not: a verdict means something only under the rubric file that produced it.
      `rubric file: ${r.rubric_file.path} (version ${r.rubric_file.version}); judges: ${judgesOf(r).join(', ') || 'none'}`,
    ].join('\n') + '\n'
  );
}

/** Writes report.md, report.json and report.html into `dir` (created when missing). */
export function writeReport(dir: string, r: GateReport): { md: string; json: string; html: string } {
  prepareOutDir(dir, 'the gate report');
  const paths = {
    md: join(dir, 'report.md'),
    json: join(dir, 'report.json'),
    html: join(dir, 'report.html'),
  };
  writeFileReplacing(paths.json, JSON.stringify(r, null, 2) + '\n');
  writeFileReplacing(paths.md, renderMarkdown(r));
  writeFileReplacing(paths.html, renderHtml(r));
  return paths;
}
