// `prefloop clusters --out FILE.md`: the failure clusters as a Markdown report, one section per cluster
// (name, size, trend, failing rubrics, exemplar prompt and answer, diagnosis, fix and its status). Pure.
import type { ListedCluster } from './clusterListing.js';

/** The report's text; `generatedAt` is printed in its header. */
export function clusterReport(clusters: readonly ListedCluster[], generatedAt: Date): string {
  const out = [
    '# Failure clusters',
    '',
    `${clusters.length} clusters, generated ${generatedAt.toISOString()} by \`prefloop clusters --out\`.`,
    '',
  ];
  if (clusters.length > 0) {
    out.push('| cluster | name | size | trend | failing rubrics | fix |', '|---|---|---:|---|---|---|');
    for (const c of clusters)
      out.push(
        `| ${c.id} | ${cell(c.name)} | ${c.size} | ${c.trend} | ${cell(c.failingRubrics.join(', ') || '–')} | ${c.fixStatus} |`,
      );
    out.push('');
  }
  for (const c of clusters) out.push(...section(c));
  return out.join('\n');
}

function section(c: ListedCluster): string[] {
  const lines = [
    `## ${c.name}`,
    '',
    `- id: \`${c.id}\``,
    `- size: ${c.size} (${c.trend}; seen ${c.firstSeen} to ${c.lastSeen}, ${c.runs} runs)`,
    `- failing rubrics: ${c.failingRubrics.join(', ') || '–'}`,
    `- exemplar span: \`${c.exemplarSpanId}\``,
    '',
    '**Exemplar prompt**',
    '',
    quote(promptText(c.exemplarPrompt)),
    '',
    '**Exemplar answer**',
    '',
    quote(c.exemplarResponse),
    '',
    '**Diagnosis**',
    '',
    c.diagnosis !== '' ? c.diagnosis : '_none yet (cluster with `--judge-url` to get one)_',
    '',
    `**Fix** (${c.fixStatus}${c.fixedBy ? `, by ${c.fixedBy}` : ''})`,
    '',
    c.fixResponse !== '' ? quote(c.fixResponse) : '_no fix yet_',
    '',
  ];
  const scores = parseScores(c.fixScores);
  if (scores.length > 0) {
    lines.push('| rubric | score | passed | exemplar failed it |', '|---|---:|---|---|');
    for (const s of scores)
      lines.push(`| ${s.rubric} | ${s.score} | ${s.passed ? 'yes' : 'no'} | ${s.required ? 'yes' : ''} |`);
    lines.push('');
  }
  return lines;
}

/** The prompt messages (stored JSON) as `role: content` lines; the raw text when not JSON. */
function promptText(json: string): string {
  try {
    const messages = JSON.parse(json) as { role: string; content: string }[];
    return messages.map((m) => `${m.role}: ${m.content}`).join('\n');
  } catch {
    return json;
  }
}

function parseScores(json: string): { rubric: string; score: number; passed: boolean; required: boolean }[] {
  try {
    const v: unknown = JSON.parse(json || '[]');
    return Array.isArray(v) ? (v as ReturnType<typeof parseScores>) : [];
  } catch {
    return [];
  }
}

/** A Markdown block quote of any text (so its own Markdown cannot break the report's structure). */
function quote(text: string): string {
  return text === ''
    ? '> _(empty)_'
    : text
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
}

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
