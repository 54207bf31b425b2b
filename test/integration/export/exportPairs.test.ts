// exportPairs / pairsSummary on a small chDB store: filters in SQL, kto, manifest, determinism.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPairs } from '../../../src/export/exportPairs.js';
import { formatPairsSummary, pairsSummary } from '../../../src/export/pairsSummary.js';
import type { Store } from '../../../src/sink/Store.js';
import { annotate, ask, at, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';

let store: Store;
let cleanup: () => Promise<void>;
let out: string;
before(async () => {
  ({ store, cleanup } = await tempStore('export'));
  out = mkdtempSync(join(tmpdir(), 'prefloop-export-out-'));
  const spans = [];
  // 40 prompts, each with an up and a down answer; prompt i created at i hours; class by parity.
  for (let i = 0; i < 40; i++) {
    const attributes = { 'app.class': i % 2 === 0 ? 'even' : 'odd' };
    spans.push(
      annotate(llmSpan({ prompt: ask(`q${i}`), response: `good ${i}`, time: i * 3600, attributes }), {
        up: true,
      }),
    );
    spans.push(
      annotate(llmSpan({ prompt: ask(`q${i}`), response: `bad ${i}`, time: i * 3600 + 1, attributes }), {
        up: false,
      }),
    );
  }
  // One unpaired thumb.
  spans.push(annotate(llmSpan({ prompt: ask('alone'), response: 'solo', time: 5 }), { up: false }));
  await insertSpans(store, spans);
});
after(async () => {
  await cleanup();
  rmSync(out, { recursive: true, force: true, maxRetries: 5 });
});

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('dpo export: split by prompt, deterministic across runs, manifest counts every file', async () => {
  const progress: number[] = [];
  const a = await exportPairs(store, { format: 'dpo', outDir: join(out, 'a'), holdout: 0.3 }, (p) =>
    progress.push(p.records),
  );
  const b = await exportPairs(store, { format: 'dpo', outDir: join(out, 'b'), holdout: 0.3 });
  assert.equal(readFileSync(a.trainPath, 'utf8'), readFileSync(b.trainPath, 'utf8'));
  assert.equal(readFileSync(a.holdoutPath, 'utf8'), readFileSync(b.holdoutPath, 'utf8'));
  const train = lines(a.trainPath);
  const holdout = lines(a.holdoutPath);
  assert.equal(train.length + holdout.length, 40);
  assert.ok(holdout.length > 0 && train.length > 0);
  const trainPrompts = new Set(train.map((r) => r.prompt));
  assert.ok(holdout.every((r) => !trainPrompts.has(r.prompt)));
  for (const r of train) {
    assert.equal(typeof r.prompt, 'string');
    assert.match(r.chosen as string, /^good /);
    assert.match(r.rejected as string, /^bad /);
  }
  const manifest = JSON.parse(readFileSync(a.manifestPath, 'utf8'));
  assert.equal(manifest.format, 'dpo');
  assert.equal(manifest.records, 40);
  assert.equal(manifest.files.train.records, train.length);
  assert.deepEqual(manifest.by, { feedback: 40 });
  assert.equal(manifest.holdout_fraction, 0.3);
  assert.equal(progress.at(-1), 40);
});

test('filters run in SQL: time range, prompt class, source, margin, agreement band', async () => {
  const count = async (o: Parameters<typeof exportPairs>[1]) =>
    (await exportPairs(store, o)).manifest.records;
  const dir = join(out, 'f');
  const base = { format: 'dpo-chat' as const, outDir: dir };
  assert.equal(await count({ ...base, since: new Date(Number(at(10 * 3600) / 1_000_000n)) }), 30);
  assert.equal(
    await count({
      ...base,
      until: new Date(Number(at(10 * 3600) / 1_000_000n)),
      sources: ['feedback'],
      minMargin: 2,
    }),
    10,
  );
  assert.equal(await count({ ...base, sources: ['judge'], promptClass: 'odd' }), 0);
  assert.equal(await count({ ...base, minMargin: 2.5, agreementBand: 'discard' }), 0);
  assert.equal(await count({ ...base, agreementBand: 'train' }), 40);
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.deepEqual(m.filters, { agreement_band: 'train' });
});

test('kto export: every decided thumb, labels as booleans', async () => {
  const r = await exportPairs(store, { format: 'kto', outDir: join(out, 'kto'), holdout: 0 });
  const rows = lines(r.trainPath);
  assert.equal(rows.length, 81);
  assert.deepEqual(r.manifest.by, { desirable: 40, undesirable: 41 });
  assert.ok(rows.every((x) => typeof x.label === 'boolean' && typeof x.completion === 'string'));
});

test('pairsSummary counts per source, margins and contradictions', async () => {
  const s = await pairsSummary(store);
  assert.equal(s.total, 40);
  assert.equal(s.bySource.feedback?.pairs, 40);
  assert.equal(s.bySource.feedback?.foundBy, 40);
  assert.deepEqual(s.marginQuantiles, [2, 2, 2, 2, 2]);
  assert.equal(s.contradictions, 0);
  assert.deepEqual(s.kto, { desirable: 40, undesirable: 41 });
  assert.match(formatPairsSummary(s), /preference pairs: 40/);
});

test('a bad option fails before anything is written', async () => {
  await assert.rejects(
    exportPairs(store, { format: 'csv' as 'dpo', outDir: join(out, 'x') }),
    /unknown export format "csv"/,
  );
  await assert.rejects(
    exportPairs(store, { format: 'dpo', outDir: join(out, 'x'), holdout: 2 }),
    /holdout must be/,
  );
});
