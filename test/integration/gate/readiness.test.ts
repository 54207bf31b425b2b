// `prefloop readiness` on three stores built to land in each verdict: an empty one (no), one with traffic,
// a stable rubric, a calibrated combined score and pairs but no labels yet (maybe), and the same with
// agreeing human labels (yes). The lines are scaled down with --volume and --pairs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATE, PAIR_TABLES, SYNTH, TABLES } from '../../../src/names.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { evaluationRow } from '../../../src/sink/rows.js';
import { writeRubricPairConfig } from '../../../src/views/rubricPairConfig.js';
import { runInProcess } from '../faults/cliHarness.js';
import { apiFeedback, ask, insertFeedback, insertSpans, llmSpan } from '../../helpers/traces.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-readiness-'));
const stores = { no: join(root, 'no'), maybe: join(root, 'maybe'), yes: join(root, 'yes') };
/** Seconds since the helpers' base time (2024-01-01) an hour ago: inside every window readiness reads. */
const recent = Math.floor(Date.now() / 1000 - 1_704_067_200 - 3600);

async function fill(folder: string, labels: boolean): Promise<void> {
  const db = new ChdbStore(folder, 'prefloop');
  try {
    // 12 prompts, two answers each, the better one thumbed up: 24 conversations, 12 feedback pairs.
    const spans = Array.from({ length: 12 }, (_, i) => [
      llmSpan({
        prompt: ask(`How do refunds for order ${i} work?`),
        response: `Refunds take five days, order ${i}.`,
        time: recent + i,
      }),
      llmSpan({ prompt: ask(`How do refunds for order ${i} work?`), response: 'No idea.', time: recent + i }),
    ]).flat();
    await insertSpans(db, spans);
    await insertFeedback(
      db,
      spans.map((s, k) =>
        apiFeedback({ traceId: s.traceId, spanId: s.spanId, up: k % 2 === 0, time: recent + 100 }),
      ),
    );
    await writeRubricPairConfig(db, [
      { rubricId: 'completeness', rubricVersion: '1', noiseFloor: 0.05, higherIsBetter: true, weight: 1 },
    ]);
    await db.insert(
      TABLES.evaluations,
      spans.map((s, k) =>
        evaluationRow({
          traceId: s.traceId,
          spanId: s.spanId,
          timeUnixNano: BigInt(Date.now() - 3_600_000) * 1_000_000n,
          rubricId: 'completeness',
          rubricVersion: '1',
          score: k % 2 === 0 ? 0.9 : 0.1,
          label: '',
          explanation: '',
          annotatorKind: 'CODE',
          metadata: JSON.stringify({ rubric_file_hash: 'abcdef012345', passed: k % 2 === 0 }),
        }),
      ),
    );
    await db.insert(PAIR_TABLES.rubricAgreement, [
      {
        MeasuredAt: String(Date.now()),
        RubricId: '(combined)',
        RubricVersion: 'completeness@1*1',
        HumanPairs: 12,
        Scored: 12,
        Separated: 12,
        Agreed: 12,
        Agreement: 1,
        Lower: 0.76,
        Upper: 1,
        Floor: 0.5,
        Status: 'agrees',
      },
    ]);
    if (labels) {
      // Three people agree on each of four pairs (two kept as they stand, two flipped): Fleiss' kappa 1.
      const rows = ['p1', 'p2', 'p3', 'p4'].flatMap((pair, i) =>
        ['ann', 'bob', 'cy'].map((who) => ({
          label_id: `${pair}-${who}`,
          pair_id: pair,
          annotator_id: who,
          preferred: i < 2 ? 'chosen' : 'rejected',
          labelled_at: String(Date.now()),
          via: 'api',
        })),
      );
      await db.insert(TABLES.reviewLabels, rows);
    }
  } finally {
    await db.close();
  }
}

before(async () => {
  for (const folder of Object.values(stores)) {
    const m = await runInProcess(['migrate', '--store', `embedded:${folder}`]);
    assert.equal(m.code, 0, m.stderr);
  }
  await fill(stores.maybe, false);
  await fill(stores.yes, true);
  // The empty store gets the gate's and synth's own answers: they are not production traffic.
  const db = new ChdbStore(stores.no, 'prefloop');
  try {
    const own = [GATE.serviceName, SYNTH.serviceName].flatMap((service) =>
      Array.from({ length: 15 }, (_, i) => {
        const span = llmSpan({ prompt: ask(`Question ${i}?`), response: `Answer ${i}.`, time: recent + i });
        span.resource = { 'service.name': service };
        return span;
      }),
    );
    await insertSpans(db, own);
  } finally {
    await db.close();
  }
});
after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

interface Result {
  verdict: string;
  signals: { name: string; level: string; value: number | null; reason: string }[];
  next_step: string;
}

async function readiness(folder: string): Promise<Result> {
  const r = await runInProcess([
    'readiness',
    '--store',
    `embedded:${folder}`,
    '--format',
    'json',
    '--volume',
    '20',
    '--pairs',
    '10',
  ]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Result;
}

const levels = (r: Result) => Object.fromEntries(r.signals.map((s) => [s.name, s.level]));

test("a store with only the gate's and synth's answers: no, with prompt optimisation and retrieval first", async () => {
  const r = await readiness(stores.no);
  assert.equal(r.verdict, 'no');
  assert.deepEqual(levels(r), {
    volume: 'no',
    stability: 'no',
    calibration: 'maybe',
    density: 'no',
    labels: 'maybe',
  });
  assert.match(r.signals[0]!.reason, /^0 LLM conversations in the last 30 days/);
  assert.match(r.next_step, /prompt optimisation and retrieval first/);
});

test('traffic, one rubric version, a calibrated combined score and pairs, but no labels yet: maybe', async () => {
  const r = await readiness(stores.maybe);
  assert.equal(r.verdict, 'maybe');
  assert.deepEqual(levels(r), {
    volume: 'yes',
    stability: 'yes',
    calibration: 'yes',
    density: 'yes',
    labels: 'maybe',
  });
  assert.equal(r.signals.find((s) => s.name === 'volume')!.value, 24);
  assert.equal(r.signals.find((s) => s.name === 'stability')!.value, 1);
  assert.match(r.signals.find((s) => s.name === 'labels')!.reason, /no labels yet/);
  assert.match(r.next_step, /prefloop synth/);
});

test('the same with agreeing human labels: yes, export and tune', async () => {
  const r = await readiness(stores.yes);
  assert.equal(r.verdict, 'yes', JSON.stringify(r.signals));
  assert.equal(r.signals.find((s) => s.name === 'labels')!.value, 1);
  assert.match(r.next_step, /prefloop export/);
  const table = await runInProcess([
    'readiness',
    '--store',
    `embedded:${stores.yes}`,
    '--volume',
    '20',
    '--pairs',
    '10',
  ]);
  assert.match(table.stdout, /^readiness: yes\n/);
  assert.match(table.stdout, /next step: Export and tune/);
});
