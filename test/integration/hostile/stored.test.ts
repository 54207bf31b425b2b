// Against the whole pipeline (startPrefloop on a temp embedded store): after a barrage of hostile
// requests, exactly the good spans are in ClickHouse — nothing of a rejected body is half-stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  encodeDeepKvlistRequest,
  encodeTraceRequest,
  type WireAttr,
  type WireValue,
} from '../../../bench/otlpWire.js';
import { startBenchServer } from '../../../bench/server.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { TABLES } from '../../../src/names.js';
import { JSON_TYPE, goodBody, goodSpan, postProtobuf, send, storeOf } from './harness.js';

test('hostile requests leave no rows; good ones are stored exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-hostile-store-'));
  const server = await startBenchServer(`embedded:${dir}`, true);
  let stopped = false;
  try {
    const url = `http://127.0.0.1:${server.port}`;
    const good = goodBody(3);
    const badIds = goodSpan({ traceId: Uint8Array.from([1, 2, 3]) });
    const mixed = encodeTraceRequest([{ spans: [badIds, goodSpan()] }]);
    const hostile: [Uint8Array | string, Record<string, string>][] = [
      [good.subarray(0, good.length - 3), {}],
      [Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), {}],
      [encodeDeepKvlistRequest(goodSpan(), 10_000), {}],
      [gzipSync(Buffer.alloc(64 * 1024 * 1024)), { 'content-encoding': 'gzip' }],
    ];
    for (const [body, headers] of hostile) {
      const reply = await postProtobuf(url, typeof body === 'string' ? Buffer.from(body) : body, headers);
      assert.ok(reply.status >= 400 && reply.status < 500, `hostile body answered ${reply.status}`);
    }
    const badJson = await send(url, { headers: JSON_TYPE, body: '{"resourceSpans": [{"scopeSpans": [' });
    assert.equal(badJson.status, 400);
    assert.equal((await postProtobuf(url, good)).status, 200);
    const mixedReply = await postProtobuf(url, mixed);
    assert.equal(mixedReply.status, 200);
    await server.stop();
    stopped = true;
    const store = new ChdbStore(dir, 'prefloop');
    try {
      const [row] = await store.query<{ n: string }>(`SELECT count() AS n FROM ${TABLES.traces}`);
      assert.equal(Number(row?.n), 4, 'three good spans and the good half of the mixed request');
      const [bad] = await store.query<{ n: string }>(
        `SELECT count() AS n FROM ${TABLES.traces} WHERE length(TraceId) != 32 OR length(SpanId) != 16`,
      );
      assert.equal(Number(bad?.n), 0);
    } finally {
      await store.close();
    }
  } finally {
    if (!stopped) await server.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});

test('a span whose rubric-read attribute is an array, map or bytes value is scored and stored, not a 500', async () => {
  // The default file's json_format rubric judges spans whose request asked for JSON, e.g. `gen_ai.output.type:
  // json`. Such an attribute of another type is compared as the text stored for it; an int64 inside an array
  // once threw in JSON.stringify, so the whole request was answered 500 (which OTLP clients do not retry) and
  // dropped.
  const odd = (value: WireValue) => {
    const span = goodSpan();
    return { ...span, attributes: [...(span.attributes ?? []), ['gen_ai.output.type', value] as WireAttr] };
  };
  const spans = [
    odd(['json', 7n]),
    odd({ kv: [['n', 12n]] }),
    odd(Uint8Array.from([1, 2, 3])),
    odd(2.5),
    odd('json'),
  ];
  await storeOf(spans, async (store) => {
    const [row] = await store.query<{ n: string }>(`SELECT count() AS n FROM ${TABLES.traces}`);
    assert.equal(Number(row?.n), 5);
    // Only the span whose attribute is the text json got the json_format result.
    const [json] = await store.query<{ n: string }>(
      `SELECT count() AS n FROM ${TABLES.evaluations} WHERE Name = 'json_format'`,
    );
    assert.equal(Number(json?.n), 1);
  });
});
