// `prefloop agreement` end to end: on the store's review labels (real engine, chDB) and on a ratings file
// (the examples/ratings.csv shipped for the docs), JSON and table, and a bad file named by line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../../src/names.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { cohenKappa } from '../../../src/labels/stats/cohen.js';
import { runInProcess } from '../faults/cliHarness.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-agreement-'));
const dir = join(root, 'data');
const store = ['--store', `embedded:${dir}`];
const annotators = ['ann', 'bob', 'cy'];
// 12 pairs; ann and bob agree on all but two, cy is noisier; p11 gets only one label.
const LABELS: Record<string, string[]> = {
  ann: [
    'chosen',
    'chosen',
    'rejected',
    'chosen',
    'tie',
    'chosen',
    'rejected',
    'chosen',
    'chosen',
    'rejected',
    'chosen',
    'chosen',
  ],
  bob: [
    'chosen',
    'chosen',
    'rejected',
    'rejected',
    'tie',
    'chosen',
    'rejected',
    'chosen',
    'rejected',
    'rejected',
    'chosen',
    '',
  ],
  cy: [
    'chosen',
    'rejected',
    'rejected',
    'chosen',
    'chosen',
    'chosen',
    'chosen',
    'chosen',
    'rejected',
    'rejected',
    'skip',
    '',
  ],
};

before(async () => {
  const m = await runInProcess(['migrate', ...store]);
  assert.equal(m.code, 0, m.stderr);
  const db = new ChdbStore(dir, 'prefloop');
  try {
    const assignments = [];
    const labels = [];
    for (let p = 0; p < 12; p++) {
      for (const a of annotators) {
        assignments.push({
          sample_id: 's1',
          pair_id: `p${p}`,
          annotator_id: a,
          source: p < 6 ? 'feedback' : 'judge',
          stratum: 'x',
          a_is_chosen: 1,
          prompt: '[]',
          chosen: 'c',
          rejected: 'r',
          chosen_span_id: 'c',
          rejected_span_id: 'r',
          assigned_at: '2026-01-01 00:00:00.000',
        });
        const preferred = LABELS[a]?.[p] ?? '';
        if (preferred !== '') {
          labels.push({
            label_id: `${p}-${a}`,
            pair_id: `p${p}`,
            annotator_id: a,
            preferred,
            labelled_at: '2026-01-01 00:01:00.000',
            via: 'api',
          });
        }
      }
    }
    // A changed mind: bob first said 'rejected' on p0, then 'chosen' (the latest counts).
    labels.push({
      label_id: '0-bob-old',
      pair_id: 'p0',
      annotator_id: 'bob',
      preferred: 'rejected',
      labelled_at: '2026-01-01 00:00:30.000',
      via: 'api',
    });
    await db.insert(TABLES.reviewAssignments, assignments);
    await db.insert(TABLES.reviewLabels, labels);
  } finally {
    await db.close();
  }
});
after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

test('agreement on the store: Cohen per annotator pair, Fleiss, alpha with intervals, pairs per band', async () => {
  const r = await runInProcess(['agreement', ...store, '--format', 'json', '--resamples', '200']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as {
    pairs: number;
    ratings: number;
    annotators: string[];
    cohen: { a: string; b: string; value: number; ci_low: number; ci_high: number; items: number }[];
    fleiss_kappa: { value: number; items: number };
    krippendorff_alpha: { value: number; ci_low: number; ci_high: number };
    bands: { band: string; pairs: number }[];
    sources: { source: string; items: number; kappa: number | null; status: string }[];
    position: { annotator: string; decided: number; left_share: number }[];
  };
  assert.equal(report.pairs, 12);
  assert.deepEqual(report.annotators, annotators);
  const ab = report.cohen.find((c) => c.a === 'ann' && c.b === 'bob');
  assert.ok(ab);
  assert.equal(ab.items, 11);
  assert.ok(Math.abs(ab.value - cohenKappa(LABELS.ann!.slice(0, 11), LABELS.bob!.slice(0, 11))) < 1e-12);
  assert.ok(ab.ci_low <= ab.value && ab.value <= ab.ci_high);
  // cy's skip is no rating: ann × cy share 10 rated pairs.
  assert.equal(report.cohen.find((c) => c.a === 'ann' && c.b === 'cy')?.items, 10);
  assert.equal(report.fleiss_kappa.items, 11);
  assert.ok(Number.isFinite(report.krippendorff_alpha.ci_low));
  assert.equal(
    report.bands.reduce((s, b) => s + b.pairs, 0),
    11,
    'every pair with two ratings has a band',
  );
  // Each source against the human majority, measured now on the banded pairs (p0–p5 feedback, p6–p10 judge).
  assert.deepEqual(
    report.sources.map((s) => [s.source, s.items]),
    [
      ['feedback', 6],
      ['judge', 5],
    ],
  );
  // Every answer A here is the chosen one: ann picked it in 8 of her 11 decided labels.
  assert.deepEqual(report.position[0], { annotator: 'ann', decided: 11, left_share: 8 / 11 });
  const again = await runInProcess(['agreement', ...store, '--format', 'json', '--resamples', '200']);
  assert.equal(again.stdout, r.stdout, 'seeded: the same intervals twice');
  const table = await runInProcess(['agreement', ...store]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /fleiss kappa {8}-?\d\.\d{3} \[/);
  assert.match(table.stdout, /ann × bob/);
  assert.match(table.stdout, /pairs per band/);
});

test('agreement --ratings: the shipped example (Krippendorff 2011) at two levels, and a bad file by line', async () => {
  const nominal = await runInProcess(['agreement', '--ratings', 'examples/ratings.csv', '--format', 'json']);
  assert.equal(nominal.code, 0, nominal.stderr);
  const n = JSON.parse(nominal.stdout) as Record<string, unknown>;
  assert.equal(n.units, 12);
  assert.equal(n.annotators, 4);
  assert.equal(Math.round((n.krippendorff_alpha as number) * 1e6) / 1e6, 0.743421);
  assert.equal(n.fleiss_kappa, undefined, 'units differ in number of ratings');
  assert.equal(n.cohen_kappa, undefined, 'four annotators');
  const interval = await runInProcess([
    'agreement',
    '--ratings',
    'examples/ratings.csv',
    '--level',
    'interval',
    '--format',
    'json',
  ]);
  assert.equal(Math.round((JSON.parse(interval.stdout).krippendorff_alpha as number) * 1e6) / 1e6, 0.849107);
  const two = join(root, 'two.jsonl');
  writeFileSync(
    two,
    [
      '{"unit":1,"annotator":"a","value":"x"}',
      '{"unit":1,"annotator":"b","value":"x"}',
      '{"unit":2,"annotator":"a","value":"y"}',
      '{"unit":2,"annotator":"b","value":"x"}',
    ].join('\n'),
  );
  const j = JSON.parse(
    (await runInProcess(['agreement', '--ratings', two, '--format', 'json'])).stdout,
  ) as Record<string, unknown>;
  assert.equal(typeof j.cohen_kappa, 'number');
  assert.equal(typeof j.fleiss_kappa, 'number');
  const ordinal = await runInProcess(['agreement', '--ratings', two, '--level', 'ordinal']);
  assert.equal(ordinal.code, 2);
  assert.match(
    ordinal.stderr,
    /--level ordinal needs numeric values \(their order\); this file has text values/,
  );
  const bad = join(root, 'bad.csv');
  writeFileSync(bad, 'unit,annotator,value\n1,a,2\n2,a\n');
  const b = await runInProcess(['agreement', '--ratings', bad]);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /line 3: 2 fields, the header has 3/);
  const lvl = await runInProcess(['agreement', '--ratings', bad, '--level', 'loud']);
  assert.match(lvl.stderr, /--level must be one of nominal, ordinal, interval, ratio/);
});
