// Rubric results reach `evaluations` from the stored span's attributes (migration 0005): the rows must be the
// ones the pipeline used to write itself, only prefloop's results are taken, and a retried batch adds none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREFLOOP_ATTRS } from '../../../src/names.js';
import type { EvaluationRecord } from '../../../src/records/types.js';
import { addEvaluationAttributes } from '../../../src/records/evaluationAttributes.js';
import { loadRubricFile } from '../../../src/score/RubricFile.js';
import { Scorer } from '../../../src/score/Scorer.js';
import { buildTableBatches, insertBatch } from '../../../src/sink/batches.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { EVALUATION_COLUMNS, evaluationRow } from '../../../src/sink/rows.js';
import { packagePath } from '../../../src/paths.js';
import { spanRecord } from '../../unit/sink/records.js';

/** Every column but the moment: the view uses the span's time, the pipeline used the scoring time. */
const COMPARED = EVALUATION_COLUMNS.filter((c) => c !== 'Timestamp');

async function withStore(run: (store: ChdbStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-evalmv-'));
  const store = new ChdbStore(dir, 'prefloop');
  try {
    await migrate(store);
    await run(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

test('scored span rows give exactly the evaluation rows the pipeline wrote before; a retry adds none', async () => {
  await withStore(async (store) => {
    const scorer = new Scorer(loadRubricFile(packagePath('collector-config', 'rubrics.yaml')), {
      skipJudges: true,
    });
    const expected: EvaluationRecord[] = [];
    const spans = Array.from({ length: 12 }, (_, i) => {
      const record = spanRecord(i);
      // An upstream evaluator's result already on the span: not prefloop's, so not copied by the view.
      record.span.attributes['evaluations.0.evaluation.name'] = 'upstream_judge';
      record.span.attributes['evaluations.0.evaluation.score'] = 0.25;
      const results = scorer.scoreSync(record);
      // A result whose score is not a finite number is stored with a NULL score, as before.
      if (i === 0) results[0] = { ...results[0]!, score: Number.NaN };
      addEvaluationAttributes(record, results, scorer.set.hash);
      expected.push(...results);
      return record;
    });
    assert.ok(expected.length > 24, 'the default rubrics score every span several times');
    const batches = buildTableBatches([{ spans, feedback: [], evaluations: [] }]);
    assert.deepEqual(
      batches.map((b) => b.table),
      ['otel_traces'],
    );
    for (const b of batches) await insertBatch(store, b);
    for (const b of batches) await insertBatch(store, b); // a retried delivery, same dedup token

    const cols = COMPARED.map((c) => `\`${c}\``).join(', ');
    const stored = await store.query<Record<string, unknown>>(
      `SELECT ${cols} FROM evaluations ORDER BY EvaluationId`,
    );
    const want = expected
      .map((e) => evaluationRow(e) as unknown as Record<string, unknown>)
      .map((row) => Object.fromEntries(COMPARED.map((c) => [c, row[c]])))
      .sort((a, b) => (String(a.EvaluationId) < String(b.EvaluationId) ? -1 : 1));
    assert.equal(stored.length, want.length);
    assert.deepEqual(stored, want);
    assert.equal(stored.filter((r) => r.Score === null).length, 1);
  });
});

test('spans another writer stored (the contrib exporter layout, no LLM columns) get their rows too', async () => {
  await withStore(async (store) => {
    const hash = 'abc123def456';
    const metadata = JSON.stringify({ [PREFLOOP_ATTRS.rubricFileHash]: hash, passed: true });
    const attrs = {
      'openinference.span.kind': 'LLM',
      'evaluations.0.evaluation.name': 'toxicity',
      'evaluations.0.evaluation.score': '0',
      'evaluations.0.evaluation.label': 'clean',
      'evaluations.0.evaluation.explanation': 'no toxic terms',
      'evaluations.0.evaluation.annotator_kind': 'CODE',
      'evaluations.0.evaluation.identifier': 'toxicity@v@2',
      'evaluations.0.evaluation.metadata': metadata,
      // An upstream evaluator's result (no hash): left to the pipeline, not copied.
      'evaluations.1.evaluation.name': 'helpfulness',
      'evaluations.1.evaluation.metadata': '{"source":"phoenix"}',
    };
    await store.insert('otel_traces', [
      {
        Timestamp: '2026-11-27 00:00:00.000000000',
        TraceId: 'f'.repeat(32),
        SpanId: 'e'.repeat(16),
        SpanName: 'llm',
        ServiceName: 'app',
        SpanAttributes: attrs,
      },
    ]);
    const rows = await store.query<Record<string, unknown>>(
      `SELECT Name, Score, Label, Explanation, AnnotatorKind, Identifier, RubricVersion, Origin, EvaluationId, Metadata,
              toString(Timestamp) AS Timestamp
       FROM evaluations`,
    );
    assert.deepEqual(rows, [
      {
        Name: 'toxicity',
        Score: 0,
        Label: 'clean',
        Explanation: 'no toxic terms',
        AnnotatorKind: 'CODE',
        Identifier: 'toxicity@v@2',
        RubricVersion: 'v@2',
        Origin: 'prefloop',
        EvaluationId: `${'f'.repeat(32)}:${'e'.repeat(16)}:toxicity@v@2`,
        Metadata: metadata,
        Timestamp: '2026-11-27 00:00:00.000000000',
      },
    ]);
  });
});

test('a span with more evaluation attributes than the view reads (256 results) is stored, none copied', async () => {
  await withStore(async (store) => {
    const metadata = JSON.stringify({ [PREFLOOP_ATTRS.rubricFileHash]: 'abc' });
    const attrs: Record<string, string> = {};
    for (let i = 0; i < 300; i++)
      for (const [field, value] of [
        ['name', `r${i}`],
        ['score', '1'],
        ['label', 'x'],
        ['explanation', 'y'],
        ['annotator_kind', 'CODE'],
        ['identifier', `r${i}@1`],
        ['metadata', metadata],
      ] as const)
        attrs[`evaluations.${i}.evaluation.${field}`] = value;
    const row = (spanId: string, attributes: Record<string, string>) => ({
      Timestamp: '2026-11-27 00:00:00.000000000',
      TraceId: 'f'.repeat(32),
      SpanId: spanId,
      SpanAttributes: attributes,
    });
    const few = Object.fromEntries(Object.entries(attrs).slice(0, 14));
    await store.insert('otel_traces', [row('e'.repeat(16), attrs), row('d'.repeat(16), few)]);
    const rows = await store.query<{ SpanId: string; n: string }>(
      'SELECT SpanId, count() AS n FROM evaluations GROUP BY SpanId',
    );
    assert.deepEqual(rows, [{ SpanId: 'd'.repeat(16), n: '2' }]);
    const [spans] = await store.query<{ n: string }>('SELECT count() AS n FROM otel_traces');
    assert.equal(spans!.n, '2');
  });
});
