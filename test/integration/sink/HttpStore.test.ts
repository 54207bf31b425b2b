// HttpStore through the real @clickhouse/client against real chDB behind the query endpoint (mounted at /v1/query).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpStore } from '../../../src/sink/HttpStore.js';
import { combineRequests, encodeRequest } from '../../../src/sink/batches.js';
import { BufferList } from '../../../src/sink/body.js';
import { migrate } from '../../../src/sink/migrate.js';
import { traceRow } from '../../../src/sink/rows.js';
import { StoreError } from '../../../src/sink/Store.js';
import { httpStoreOverChdb } from '../../helpers/clickhouseHttp.js';
import type { HttpOverChdb } from '../../helpers/clickhouseHttp.js';
import { spanRecord } from '../../unit/sink/records.js';

let setup: HttpOverChdb;
let http: HttpStore;

before(async () => {
  setup = await httpStoreOverChdb('prefloop-http-');
  http = setup.http;
});

after(() => setup.close());

test('migrate, insert with a dedup token, query, stream and queryText all run over HTTP', async () => {
  assert.equal(await http.ping(), true);
  const result = await migrate(http);
  assert.ok(result.applied.includes('0001_otel_traces.sql'));
  assert.deepEqual((await migrate(http)).applied, []);

  const rows = [0, 1, 2, 3].map((i) => traceRow(spanRecord(i)));
  await http.insert('otel_traces', rows, { dedupToken: 'http-batch-1' });
  await http.insert('otel_traces', rows, { dedupToken: 'http-batch-1' });
  const counted = await http.query<{ n: string }>('SELECT count() AS n FROM otel_traces');
  assert.deepEqual(counted, [{ n: '4' }]);

  const bound = await http.query<{ SpanId: string; ts: string }>(
    'SELECT SpanId, toString(toUnixTimestamp64Nano(Timestamp)) AS ts FROM otel_traces WHERE SpanId IN {ids:Array(String)} AND ServiceName = {svc:String} ORDER BY SpanId',
    { ids: [rows[1]!.SpanId, rows[2]!.SpanId], svc: 'chat-api' },
  );
  assert.deepEqual(bound, [
    { SpanId: rows[1]!.SpanId, ts: rows[1]!.Timestamp },
    { SpanId: rows[2]!.SpanId, ts: rows[2]!.Timestamp },
  ]);

  const streamed: string[] = [];
  for await (const r of http.stream<{ SpanId: string }>('SELECT SpanId FROM otel_traces ORDER BY SpanId'))
    streamed.push(r.SpanId);
  assert.deepEqual(
    streamed,
    rows.map((r) => r.SpanId),
  );

  const text = await http.queryText(
    'SELECT SpanKind, count() AS n FROM otel_traces GROUP BY SpanKind',
    'TSVWithNames',
  );
  assert.equal(text, 'SpanKind\tn\nClient\t4\n');
  await http.command('CREATE TABLE IF NOT EXISTS prefloop.scratch (x UInt8) ENGINE = Memory');
  await http.command('INSERT INTO prefloop.scratch SELECT {v:UInt8}', { v: 7 });
  assert.deepEqual(await http.query('SELECT x FROM prefloop.scratch'), [{ x: 7 }]);
});

test('a batch of several buffers is inserted as the rows they hold, over HTTP and embedded alike', async () => {
  await migrate(http);
  const requests = [10, 20, 30].map((first) =>
    encodeRequest({ spans: [0, 1].map((i) => spanRecord(first + i)), feedback: [], evaluations: [] }),
  );
  const [batch] = combineRequests(requests);
  assert.ok(batch && batch.body instanceof BufferList, 'the batch holds the three requests’ buffers');
  const options = { format: batch.format!, columns: batch.columns!, dedupToken: batch.token };
  const ids = `SELECT groupArray(SpanId) AS ids FROM (SELECT SpanId FROM otel_traces WHERE SpanId IN {ids:Array(String)} ORDER BY SpanId)`;
  const expected = [10, 11, 20, 21, 30, 31].map((i) => traceRow(spanRecord(i)).SpanId).sort();
  await http.insert(batch.table, batch.body, options);
  assert.deepEqual(await http.query(ids, { ids: expected }), [{ ids: expected }]);
  // The same batch again, embedded: the engine joins the buffers, the token makes it a no-op.
  await setup.embedded.insert(batch.table, batch.body, options);
  assert.deepEqual(await http.query(ids, { ids: expected }), [{ ids: expected }]);
  // Joins in flight at once each get their own buffer: none is overwritten while the engine reads it.
  const batches = [100, 200, 300].map((first) => {
    const [b] = combineRequests(
      [0, 2].map((i) =>
        encodeRequest({ spans: [i, i + 1].map((k) => spanRecord(first + k)), feedback: [], evaluations: [] }),
      ),
    );
    return b!;
  });
  await Promise.all(
    batches.map((b) =>
      setup.embedded.insert(b.table, b.body, { format: b.format!, columns: b.columns!, dedupToken: b.token }),
    ),
  );
  const all = [100, 200, 300]
    .flatMap((first) => [0, 1, 2, 3].map((k) => traceRow(spanRecord(first + k)).SpanId))
    .sort();
  assert.deepEqual(await http.query(ids, { ids: all }), [{ ids: all }]);
});

test('a failing query surfaces the ClickHouse error code', async () => {
  await assert.rejects(
    http.query('SELECT * FROM prefloop.no_such_table'),
    (err: unknown) => err instanceof StoreError && err.code === 'CH_60' && /no_such_table/.test(err.message),
  );
  await assert.rejects(
    http.query('SELEC 1'),
    (err: unknown) => err instanceof StoreError && err.code === 'CH_62',
  );
});

test('a stopped server is reported as unreachable, and reachable again once back', async () => {
  await setup.fixture.stop();
  await assert.rejects(
    http.query('SELECT 1 AS one'),
    (err: unknown) => err instanceof StoreError && err.code === 'STORE_UNREACHABLE',
  );
  assert.equal(await http.ping(), false);
  await setup.fixture.start();
  assert.deepEqual(await http.query('SELECT 1 AS one'), [{ one: 1 }]);
});
