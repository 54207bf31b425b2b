// Rows of a request already answered 200 (spans held for an LLM judge) are never refused by a full queue:
// they were promised, so they bypass the bound and reach the store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics } from '../../../src/observe/Metrics.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { SpanSink } from '../../../src/sink/SpanSink.js';
import { counts, fastOptions, request, SINK_MIGRATIONS } from './sinkHarness.js';

test('a full queue refuses new requests but takes acknowledged rows, and all are stored once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-ack-'));
  const store = new ChdbStore(join(dir, 'store'), 'prefloop');
  const sink = new SpanSink(store, new Metrics(), {
    ...fastOptions(join(dir, 'spool')),
    maxQueuedSpans: 10,
    flushIntervalMs: 60_000, // nothing drains until flush(): the queue stays full
  });
  try {
    await migrate(store, SINK_MIGRATIONS);
    await sink.start();
    assert.equal(sink.enqueue(request(0), 100), true, 'the first request fills the queue');
    assert.equal(sink.hasRoom(1, 0), false);
    assert.equal(sink.enqueue(request(1), 100), false, 'a new request is refused');
    sink.enqueueAcknowledged(request(2)); // a judged span of an earlier, acknowledged request
    await sink.flush();
    const stored = await counts(store);
    assert.equal(stored.spans, 20, 'request 0 and the acknowledged rows, not the refused request');
    assert.equal(stored.uniqueSpans, 20);
  } finally {
    await sink.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
