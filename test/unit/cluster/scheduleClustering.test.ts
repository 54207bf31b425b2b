// Serve's clustering schedule: off unless enabled, never two runs at once, a failed run logged and not
// thrown, stopped by serve's shutdown (which waits for a running run); and its prefloop.yaml section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, ConfigError } from '../../../src/config/loadConfig.js';
import { setDiagHandler } from '../../../src/observe/diag.js';
import type { DiagHandler } from '../../../src/observe/diag.js';
import { scheduleClustering, summary } from '../../../src/cluster/scheduleClustering.js';
import type { ClusteringSettings } from '../../../src/cluster/scheduleClustering.js';
import type { Store } from '../../../src/sink/Store.js';

const BASE = `
receivers: { otlp: {} }
exporters: { clickhouse: {} }
service: { pipelines: { traces: { receivers: [otlp], exporters: [clickhouse] } } }
`;

function settings(over: Partial<ClusteringSettings> = {}): ClusteringSettings {
  return {
    ...parseConfig(BASE + 'clustering: { enabled: true, interval: 1h }', 't', {}).clustering,
    ...over,
  };
}

/** A store whose queries wait for `gate` and find no failing spans (or fail, with `fail`). */
function fakeStore(gate: Promise<void>, fail = false): { store: Store; queries: () => number } {
  let n = 0;
  const store = {
    async query() {
      n++;
      await gate;
      if (fail) throw new Error('store down');
      return [];
    },
    async insert() {},
  } as unknown as Store;
  return { store, queries: () => n };
}

test('prefloop.yaml clustering: off by default, durations and defaults read, bad values listed', () => {
  const off = parseConfig(BASE, 't', {}).clustering;
  assert.equal(off.enabled, false);
  assert.equal(off.interval, 3_600_000);
  assert.equal(off.window, 86_400_000);
  assert.equal(off.min_cluster_size, 5);
  assert.deepEqual(off.embedder, { type: 'lexical', fallback: true });
  assert.equal(
    scheduleClustering({} as Store, off, { set: undefined, env: {}, onClose: () => {} }),
    undefined,
  );
  const on = parseConfig(
    BASE + 'clustering: { enabled: true, interval: 30m, window: 7h }',
    't',
    {},
  ).clustering;
  assert.equal(on.interval, 1_800_000);
  assert.equal(on.window, 25_200_000);
  assert.throws(
    () =>
      parseConfig(
        BASE + 'clustering: { enabled: true, min_cluster_size: 1, embedder: { type: openai }, colour: red }',
        't',
        {},
      ),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.problems.some((p) => p.includes('min_cluster_size')) &&
      err.problems.some((p) => p.includes('colour')),
  );
  assert.throws(
    () => parseConfig(BASE + 'clustering: { embedder: { type: openai } }', 't', {}),
    /openai needs endpoint and model/,
  );
});

test('never two runs at once; shutdown stops the timer and waits for the running run', async () => {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const { store, queries } = fakeStore(gate);
  const closers: (() => Promise<void> | void)[] = [];
  const lines: string[] = [];
  const handler: DiagHandler = (_level, component, message) => lines.push(`${component}: ${message}`);
  setDiagHandler(handler);
  try {
    const schedule = scheduleClustering(store, settings(), {
      set: undefined,
      env: {},
      onClose: (s) => closers.push(s),
    })!;
    const first = schedule.runNow();
    const second = schedule.runNow();
    assert.equal(first, second, 'a run asked for while one runs is that run');
    assert.equal(closers.length, 1, 'the stop step is registered with serve');
    let stopped = false;
    const stopping = Promise.resolve(closers[0]!()).then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(stopped, false, 'shutdown waits for the running run');
    open();
    await stopping;
    assert.equal((await first)?.failing, 0);
    assert.equal(queries(), 1);
    assert.equal(await schedule.runNow(), undefined, 'nothing runs after stop');
    assert.deepEqual(lines, [
      'cluster: scheduled clustering: no failing LLM spans in the window; nothing written',
    ]);
  } finally {
    setDiagHandler(() => undefined);
  }
});

test('a failed run is logged and the next one may run', async () => {
  const { store } = fakeStore(Promise.resolve(), true);
  const lines: string[] = [];
  setDiagHandler((level, _c, message) => lines.push(`${level}: ${message}`));
  try {
    const closers: (() => Promise<void> | void)[] = [];
    const schedule = scheduleClustering(store, settings(), {
      set: undefined,
      env: {},
      onClose: (s) => closers.push(s),
    })!;
    assert.equal(await schedule.runNow(), undefined);
    assert.equal(await schedule.runNow(), undefined);
    assert.deepEqual(lines, [
      'warn: scheduled clustering failed; will try again next interval',
      'warn: scheduled clustering failed; will try again next interval',
    ]);
    await closers[0]!();
  } finally {
    setDiagHandler(() => undefined);
  }
});

test('the run summary names the embedder and the fixes', () => {
  const line = summary({
    failing: 12,
    embedded: 3,
    model: 'lexical-v2/x',
    embedder: 'lexical (fallback from openai:m)',
    runId: 'r',
    clusters: [],
    fixes: [],
  });
  assert.equal(
    line,
    'scheduled clustering: 12 failing spans, 0 clusters (0 new), 12 noise, 3 embedded now with lexical (fallback from openai:m)',
  );
});
