// Migrations on the real embedded engine: applied once, recorded, idempotent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';

test('migrations apply once and create otel_traces in the contrib layout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-migrate-'));
  const store = new ChdbStore(dir, 'prefloop');
  try {
    const first = await migrate(store);
    assert.ok(first.applied.includes('0001_otel_traces.sql'));
    const second = await migrate(store);
    assert.deepEqual(second.applied, []);
    assert.equal(second.skipped.length, first.applied.length);
    const cols = await store.query<{ name: string; type: string }>(
      "SELECT name, type FROM system.columns WHERE database = 'prefloop' AND table = 'otel_traces' ORDER BY position",
    );
    const byName = new Map(cols.map((c) => [c.name, c.type]));
    assert.equal(byName.get('Timestamp'), 'DateTime64(9)');
    assert.equal(byName.get('SpanAttributes'), 'Map(LowCardinality(String), String)');
    assert.equal(byName.get('Events.Timestamp'), 'Array(DateTime64(9))');
    assert.equal(byName.get('PromptMessages'), 'String');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
