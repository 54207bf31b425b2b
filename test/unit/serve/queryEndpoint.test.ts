// The ClickHouse HTTP subset: where the query, data, params and settings come from; ClickHouse-shaped errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointError } from '../../../src/serve/queryEndpoint.js';
import { parseEndpointRequest, toEndpointError } from '../../../src/serve/queryEndpoint.js';
import { StoreError } from '../../../src/sink/Store.js';

const parse = (path: string, search: string, body = '') =>
  parseEndpointRequest(path, new URLSearchParams(search), Buffer.from(body), 'prefloop');

test('ping, and a query from the body with its FORMAT and bound params', () => {
  assert.deepEqual(parse('/ping', ''), { kind: 'ping' });
  assert.deepEqual(
    parse('/', 'database=prefloop&param_id=abc&query_id=q1', 'SELECT {id:String} AS x FORMAT JSONEachRow'),
    {
      kind: 'query',
      sql: 'SELECT {id:String} AS x',
      format: 'JSONEachRow',
      params: { id: 'abc' },
    },
  );
  assert.deepEqual(parse('/', 'query=SELECT%201&default_format=CSV'), {
    kind: 'query',
    sql: 'SELECT 1',
    format: 'CSV',
    params: {},
  });
});

test('INSERT with the query in the URL takes the body as data and the dedup token from the settings', () => {
  const r = parse(
    '/',
    `query=${encodeURIComponent('INSERT INTO prefloop.feedback FORMAT JSONEachRow')}&insert_deduplication_token=tok`,
    '{"a":1}\n',
  );
  assert.deepEqual(r, {
    kind: 'insert',
    table: 'feedback',
    format: 'JSONEachRow',
    data: Buffer.from('{"a":1}\n'),
    dedupToken: 'tok',
  });
  const inline = parse('/', '', 'INSERT INTO t FORMAT JSONEachRow\n{"a":2}\n');
  assert.equal(inline.kind === 'insert' && inline.data.toString(), '{"a":2}\n');
});

test('what is outside the subset is refused with a ClickHouse code', () => {
  const code = (fn: () => unknown): number => {
    try {
      fn();
    } catch (err) {
      return (err as EndpointError).code;
    }
    return -1;
  };
  assert.equal(
    code(() => parse('/', 'database=other', 'SELECT 1')),
    81,
  );
  assert.equal(
    code(() => parse('/', '', 'INSERT INTO other.t FORMAT JSONEachRow\n{}')),
    81,
  );
  assert.equal(
    code(() => parse('/', '', 'INSERT INTO t FORMAT CSV\n1')),
    73,
  );
  assert.equal(
    code(() => parse('/', '', 'INSERT INTO t (a, b; DROP TABLE x) FORMAT JSONCompactEachRow\n[1]')),
    62,
  );
  assert.equal(
    code(() => parse('/', '', '  ')),
    62,
  );
});

test('engine errors keep their code and type; others become STD_EXCEPTION', () => {
  const engine = new StoreError('embedded store query failed', 'CH_60', {
    cause: new Error("Code: 60. DB::Exception: Unknown table expression identifier 'x'. (UNKNOWN_TABLE)"),
  });
  const e = toEndpointError(engine);
  assert.equal(e.code, 60);
  assert.equal(e.type, 'UNKNOWN_TABLE');
  assert.equal(e.status, 404);
  assert.match(e.message, /Unknown table/);
  const plain = toEndpointError(new StoreError('closed', 'STORE_CLOSED'));
  assert.equal(plain.type, 'STD_EXCEPTION');
  assert.equal(plain.status, 500);
});

test('a compact insert keeps its column list, nested and quoted names included', () => {
  const request = parse(
    '/',
    'insert_deduplication_token=tok',
    'INSERT INTO prefloop.evaluations (Timestamp, `Events.Name`, "Score") FORMAT JSONCompactEachRow\n["1","a",0.5]\n',
  );
  assert.deepEqual(request, {
    kind: 'insert',
    table: 'evaluations',
    format: 'JSONCompactEachRow',
    columns: ['Timestamp', 'Events.Name', 'Score'],
    data: Buffer.from('["1","a",0.5]\n'),
    dedupToken: 'tok',
  });
});
