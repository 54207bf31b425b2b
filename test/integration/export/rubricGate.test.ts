// Rubric pairs feed export only once the combined rubric score agrees with the human pairs in the store:
// unknown (no human pair scored), below the floor (too few or disagreeing), then above it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPairs } from '../../../src/export/exportPairs.js';
import { formatPairsSummary, pairsSummary } from '../../../src/export/pairsSummary.js';
import { refreshRubricAgreement } from '../../../src/export/rubricAgreement.js';
import { COMBINED_RUBRIC_ID } from '../../../src/names.js';
import type { DecodedSpan } from '../../../src/records/types.js';
import type { Store } from '../../../src/sink/Store.js';
import { writeRubricPairConfig } from '../../../src/views/rubricPairConfig.js';
import { annotate, ask, at, insertScores, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';

let store: Store;
let cleanup: () => Promise<void>;
let out: string;
let run = 0;
before(async () => {
  ({ store, cleanup } = await tempStore('rubric-gate'));
  out = mkdtempSync(join(tmpdir(), 'prefloop-rubric-gate-'));
  await writeRubricPairConfig(store, [
    {
      rubricId: 'q',
      rubricVersion: '1',
      noiseFloor: 0.1,
      higherIsBetter: true,
      weight: 1,
      agreementFloor: 0.5,
    },
  ]);
  // Two prompts only rubrics have an opinion on: two rubric pairs.
  for (const name of ['r1', 'r2']) {
    const good = llmSpan({ prompt: ask(name), response: `${name} helpful`, time: 1 });
    const bad = llmSpan({ prompt: ask(name), response: `${name} dunno`, time: 2 });
    await insertSpans(store, [good, bad]);
    await insertScores(store, [
      { span: good, rubricId: 'q', score: 0.9 },
      { span: bad, rubricId: 'q', score: 0.2 },
    ]);
  }
});
after(async () => {
  await cleanup();
  rmSync(out, { recursive: true, force: true, maxRetries: 5 });
});

/** `n` human pairs (thumbs up on one answer, down on the other), the rubric scoring them its way. */
async function humanPairs(n: number, rubric: 'agrees' | 'unscored'): Promise<DecodedSpan[]> {
  const spans: DecodedSpan[] = [];
  for (let i = 0; i < n; i++) {
    const prompt = ask(`h${run}-${i}`);
    const up = annotate(llmSpan({ prompt, response: `good ${run}-${i}`, time: 1 }), { up: true });
    const down = annotate(llmSpan({ prompt, response: `bad ${run}-${i}`, time: 2 }), { up: false });
    spans.push(up, down);
    if (rubric === 'agrees')
      await insertScores(store, [
        { span: up, rubricId: 'q', score: 0.8 },
        { span: down, rubricId: 'q', score: 0.3 },
      ]);
  }
  run++;
  await insertSpans(store, spans);
  return spans;
}

async function exported(includeUngated = false) {
  const r = await exportPairs(store, {
    format: 'dpo',
    outDir: join(out, `x${run}-${includeUngated}`),
    holdout: 0,
    ...(includeUngated ? { includeUngated } : {}),
  });
  const rows = readFileSync(r.trainPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { source: string; chosen: string });
  return { rows, manifest: r.manifest };
}

test('unknown: no human pair is scored, so rubric pairs are marked and left out unless asked for', async () => {
  await humanPairs(2, 'unscored');
  const [combined] = (await refreshRubricAgreement(store)).filter((m) => m.rubricId === COMBINED_RUBRIC_ID);
  assert.equal(combined!.status, 'unknown');
  assert.equal(combined!.humanPairs, 2);
  const { rows, manifest } = await exported();
  assert.deepEqual(rows.map((r) => r.source).sort(), ['feedback', 'feedback']);
  assert.equal(manifest.rubric_gate!.left_out, 2);
  assert.equal(manifest.rubric_gate!.combined!.status, 'unknown');
  const all = await exported(true);
  assert.deepEqual(all.rows.filter((r) => r.source === 'rubric').length, 2);
  assert.equal(all.manifest.rubric_gate!.include_ungated, true);
  assert.equal(all.manifest.rubric_gate!.included_ungated, 2);
  const summary = await pairsSummary(store);
  assert.equal(summary.ungatedRubricPairs, 2);
});

test('below the floor: three agreeing human pairs are not enough evidence (Wilson lower bound 0.44)', async () => {
  await humanPairs(3, 'agrees');
  const measured = await refreshRubricAgreement(store);
  const combined = measured.find((m) => m.rubricId === COMBINED_RUBRIC_ID)!;
  assert.deepEqual([combined.separated, combined.agreed, combined.status], [3, 3, 'below_floor']);
  assert.ok(Math.abs(combined.lower - 0.4385) < 1e-3);
  const q = measured.find((m) => m.rubricId === 'q')!;
  assert.deepEqual([q.rubricVersion, q.scored, q.separated, q.status], ['1', 3, 3, 'below_floor']);
  const { rows } = await exported();
  assert.equal(rows.filter((r) => r.source === 'rubric').length, 0);
});

test('above the floor: eight agreeing human pairs let rubric pairs into export; pairs shows the agreement', async () => {
  await humanPairs(5, 'agrees');
  // Export reads the stored measurement; `prefloop pairs` (and serve's schedule) re-measure.
  assert.equal((await exported()).manifest.rubric_gate!.combined!.status, 'below_floor');
  await refreshRubricAgreement(store);
  const { rows, manifest } = await exported();
  assert.equal(manifest.rubric_gate!.combined!.status, 'agrees');
  assert.equal(manifest.rubric_gate!.left_out, 0);
  assert.deepEqual(
    rows
      .filter((r) => r.source === 'rubric')
      .map((r) => r.chosen)
      .sort(),
    ['r1 helpful', 'r2 helpful'],
  );
  const summary = await pairsSummary(store);
  const q = summary.rubricAgreement!.find((r) => r.rubricId === 'q')!;
  assert.deepEqual([q.agreed, q.separated, q.status], [8, 8, 'agrees']);
  const text = formatPairsSummary(summary);
  assert.match(text, /q@1 +100\.0% +67\.6%–100\.0% +8\/8 +50\.0% +agrees/);
  assert.match(text, /combined \(q@1\*1\) .* agrees \(gates rubric pairs\)/);
});

test('a store that refuses writes still exports, gated by its stored measurement', async () => {
  const readOnly: Store = Object.assign(Object.create(store) as Store, {
    insert: () => Promise.reject(new Error('readonly user')),
  });
  const r = await exportPairs(readOnly, { format: 'dpo', outDir: join(out, 'readonly'), holdout: 0 });
  assert.equal(r.manifest.rubric_gate!.not_refreshed, undefined);
  assert.match(r.manifest.rubric_gate!.measured_at!, /^\d{4}-/);
  assert.equal(r.manifest.rubric_gate!.left_out, 0, 'the stored measurement (agrees) gates');
});

test('judge pairs: gated by the judge version agreeing with the human pairs', async () => {
  const verdict = (a: DecodedSpan, b: DecodedSpan) =>
    store.insert('judge_verdicts', [
      {
        Timestamp: at(300).toString(),
        RubricId: 'pairwise',
        RubricVersion: '2',
        PromptHash: '',
        TraceIdA: a.traceId,
        SpanIdA: a.spanId,
        TraceIdB: b.traceId,
        SpanIdB: b.spanId,
        Winner: 'A',
        Confidence: 0.9,
        Flipped: 0,
        Explanation: '',
        JudgeModel: 'j',
      },
    ]);
  const j1 = llmSpan({ prompt: ask('judged only'), response: 'judge likes this', time: 1 });
  const j2 = llmSpan({ prompt: ask('judged only'), response: 'judge dislikes this', time: 2 });
  await insertSpans(store, [j1, j2]);
  await verdict(j1, j2);
  const judged = async () => (await exported()).rows.filter((r) => r.source === 'judge').length;
  assert.equal(await judged(), 0, 'unknown judge: left out');
  // The judge agrees with people on six human pairs (the up answer wins).
  const spans = await humanPairs(6, 'unscored');
  for (let i = 0; i < spans.length; i += 2) await verdict(spans[i]!, spans[i + 1]!);
  const judge = (await refreshRubricAgreement(store)).find((m) => m.rubricId === 'judge:pairwise')!;
  assert.deepEqual([judge.rubricVersion, judge.separated, judge.agreed, judge.status], ['2', 6, 6, 'agrees']);
  assert.equal(await judged(), 1);
});
