// Batch building: one batch per table, feedback routed by annotator kind, tokens deterministic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  batchLength,
  buildTableBatches,
  combineRequests,
  encodeRequest,
  dedupToken,
  freshToken,
  splitBatch,
} from '../../../src/sink/batches.js';
import { bodyLength, BufferList, joinBody, type Body } from '../../../src/sink/body.js';
import { toJsonCompactEachRow } from '../../../src/sink/Store.js';
import { TRACE_COLUMNS, traceRow } from '../../../src/sink/rows.js';
import { fullJitterDelay } from '../../../src/sink/backoff.js';
import { evaluationRecord, feedbackRecord, spanRecord } from './records.js';

const text = (body: Body) => joinBody(body).toString();

const input = () => ({
  spans: [spanRecord(0), spanRecord(1)],
  feedback: [feedbackRecord(0, 'HUMAN'), feedbackRecord(1, 'CODE')],
  evaluations: [evaluationRecord(0)],
});

test('one batch per table, CODE/LLM feedback joins the evaluations batch', () => {
  const batches = buildTableBatches([input()]);
  assert.deepEqual(
    batches.map((b) => [b.table, b.rows]),
    [
      ['otel_traces', 2],
      ['feedback', 1],
      ['evaluations', 2],
    ],
  );
  assert.equal(text(batches[0]!.body).split('\n').length, 3);
});

test('batches are JSONCompactEachRow: one array of values per row, in the batch column order', () => {
  const [traces] = buildTableBatches([input()]);
  assert.equal(traces!.format, 'JSONCompactEachRow');
  assert.deepEqual(traces!.columns, TRACE_COLUMNS);
  const first = JSON.parse(text(traces!.body).split('\n')[0]!) as unknown[];
  const row = Object.fromEntries(traces!.columns!.map((c, i) => [c, first[i]]));
  assert.deepEqual(row, JSON.parse(JSON.stringify(traceRow(spanRecord(0)))));
});

test('the same rows give the same token; different rows a different one', () => {
  const a = buildTableBatches([input()]);
  const b = buildTableBatches([input()]);
  assert.deepEqual(
    a.map((x) => x.token),
    b.map((x) => x.token),
  );
  const other = input();
  other.spans[0]!.response = 'changed';
  assert.notEqual(buildTableBatches([other])[0]!.token, a[0]!.token);
  assert.equal(buildTableBatches([other])[1]!.token, a[1]!.token);
  assert.deepEqual(buildTableBatches([{ spans: [], feedback: [], evaluations: [] }]), []);
});

test("the sink's fresh tokens: one per batch formed, even for the same rows; its halves derive from it", () => {
  const inputs = [encodeRequest(input())];
  const a = combineRequests(inputs, freshToken);
  const b = combineRequests(inputs, freshToken);
  assert.deepEqual(
    a.map((x) => text(x.body)),
    b.map((x) => text(x.body)),
  );
  const tokens = [...a, ...b].map((x) => x.token);
  assert.equal(new Set(tokens).size, tokens.length);
  for (const t of tokens) assert.match(t, /^prefloop-[0-9a-f]{32}$/);
  const [left, right] = splitBatch(a[0]!);
  assert.deepEqual([left.token, right.token], [`${a[0]!.token}.0`, `${a[0]!.token}.1`]);
});

test('a batch with a content token (spooled before fresh tokens) splits into content-token halves, as it did', () => {
  const [batch] = buildTableBatches([
    { spans: [0, 1, 2, 3].map((i) => spanRecord(i)), feedback: [], evaluations: [] },
  ]);
  const halves = splitBatch(batch!);
  for (const h of halves) assert.equal(h.token, dedupToken(h.table, h.body, h.columns ?? []));
  assert.notEqual(halves[0].token, halves[1].token);
});

test('full jitter stays within the exponential ceiling', () => {
  assert.equal(
    fullJitterDelay(1, 100, 5000, () => 0.999),
    99,
  );
  assert.equal(
    fullJitterDelay(4, 100, 5000, () => 0.5),
    400,
  );
  assert.equal(
    fullJitterDelay(20, 100, 5000, () => 0.999),
    4995,
  );
  assert.equal(
    fullJitterDelay(3, 100, 5000, () => 0),
    0,
  );
});

test('requests encoded one at a time combine into the batch their rows make together', () => {
  const a = input();
  const b = { spans: [spanRecord(2)], feedback: [], evaluations: [evaluationRecord(1)] };
  const combined = combineRequests([encodeRequest(a), encodeRequest(b)]);
  assert.deepEqual(
    combined.map((x) => [x.table, x.rows]),
    [
      ['otel_traces', 3],
      ['feedback', 1],
      ['evaluations', 3],
    ],
  );
  // Same bytes as encoding every span row in one go: encoding per request changes nothing the dedup token
  // or the store sees.
  assert.deepEqual(joinBody(combined[0]!.body), toJsonCompactEachRow([...a.spans, ...b.spans].map(traceRow)));
  assert.deepEqual(combined, buildTableBatches([a, b]));
  assert.equal(
    encodeRequest(a).bytes,
    encodeRequest(a).tables.reduce((n, t) => n + t.body.length, 0),
  );
  assert.deepEqual(encodeRequest({ spans: [], feedback: [], evaluations: [] }), {
    spans: 0,
    rows: 0,
    bytes: 0,
    tables: [],
  });
});

test("a batch keeps its requests' buffers, unjoined; its length and token are those of the joined bytes", () => {
  const inputs = [input(), input(), input()].map((r) => encodeRequest(r));
  const [traces] = combineRequests(inputs);
  assert.ok(traces && traces.body instanceof BufferList, 'three requests, three buffers');
  assert.ok(
    traces.body.buffers.every((b, i) => b === inputs[i]!.tables[0]!.body),
    'the very buffers the requests were encoded into',
  );
  const joined = joinBody(traces.body);
  assert.equal(bodyLength(traces.body), joined.length);
  assert.equal(traces.token, dedupToken(traces.table, joined, traces.columns ?? []));
  const [single] = combineRequests([encodeRequest(input())]);
  assert.ok(single && Buffer.isBuffer(single.body), 'one request: its buffer itself');
});

test('a batch takes whole requests up to the row and byte caps, and always at least one', () => {
  const q = [
    { rows: 10, bytes: 100 },
    { rows: 10, bytes: 100 },
    { rows: 10, bytes: 100 },
  ];
  assert.equal(batchLength(q, 25, 1_000), 2);
  assert.equal(batchLength(q, 1_000, 250), 2);
  assert.equal(batchLength(q, 1_000, 1_000), 3);
  assert.equal(batchLength([{ rows: 50, bytes: 5_000 }], 10, 10), 1);
  assert.equal(batchLength([], 10, 10), 0);
});

test('splitBatch halves a batch at a line, deterministically, each half with its own token', () => {
  const [batch] = buildTableBatches([
    { spans: [0, 1, 2, 3, 4].map((i) => spanRecord(i)), feedback: [], evaluations: [] },
  ]);
  assert.ok(batch);
  const [left, right] = splitBatch(batch);
  assert.deepEqual([left.rows, right.rows], [2, 3]);
  assert.equal(text(left.body) + text(right.body), text(batch.body));
  assert.equal(text(left.body).split('\n').length - 1, 2);
  assert.notEqual(left.token, right.token);
  assert.notEqual(left.token, batch.token);
  assert.deepEqual(splitBatch(batch), [left, right], 'same halves, same tokens, every time');
  const [one] = splitBatch(left);
  assert.throws(() => splitBatch(one), /cannot be split/);
});

/** A record whose row cannot be written: reading one of its attributes throws (a stand-in for an encoder bug). */
function unencodableRecord(i: number) {
  const r = spanRecord(i);
  const attributes = { ...r.span.attributes };
  Object.defineProperty(attributes, 'odd.key', {
    enumerable: true,
    get() {
      throw new Error('odd value');
    },
  });
  return { ...r, span: { ...r.span, attributes } };
}

test('a span whose row cannot be written is left out whole; the rest of its request is encoded as without it', () => {
  const bad = unencodableRecord(1);
  const encoded = encodeRequest({
    spans: [spanRecord(0), bad, spanRecord(2)],
    feedback: [],
    evaluations: [],
  });
  assert.equal(encoded.spans, 2);
  assert.deepEqual(
    encoded.unencodable?.map((u) => [u.span, (u.error as Error).message]),
    [[bad, 'odd value']],
  );
  // Byte for byte the two good rows: nothing of the bad one's partial line is left.
  const alone = encodeRequest({ spans: [spanRecord(0), spanRecord(2)], feedback: [], evaluations: [] });
  assert.deepEqual(encoded.tables, alone.tables);
  assert.equal(encoded.bytes, alone.bytes);
  assert.equal(encodeRequest(input()).unencodable, undefined, 'no list when every span encodes');
});

/** `record` with `field` reading as a throw (a stand-in for an encoder bug on odd content). */
function throwingOn<T extends object>(record: T, field: keyof T): T {
  const odd = { ...record };
  Object.defineProperty(odd, field, {
    enumerable: true,
    get() {
      throw new Error(`odd ${String(field)}`);
    },
  });
  return odd;
}

test('a feedback or evaluation record whose row cannot be written is left out alone, named with its table', () => {
  const badHuman = throwingOn(feedbackRecord(2, 'HUMAN'), 'explanation');
  const badUpstream = throwingOn(feedbackRecord(3, 'CODE'), 'label');
  const badEvaluation = throwingOn(evaluationRecord(1), 'explanation');
  const encoded = encodeRequest({
    spans: [spanRecord(0)],
    feedback: [feedbackRecord(0, 'HUMAN'), badHuman, badUpstream, feedbackRecord(1, 'CODE')],
    evaluations: [badEvaluation, evaluationRecord(0)],
  });
  assert.equal(encoded.spans, 1, 'the span is not one of those left out');
  assert.deepEqual(
    encoded.unencodable?.map((u) => [u.span, u.what, u.table, (u.error as Error).message]),
    [
      [
        undefined,
        `feedback record "user_feedback" on span ${feedbackRecord(2).spanId}`,
        'feedback',
        'odd explanation',
      ],
      [
        undefined,
        `feedback record "user_feedback" on trace ${feedbackRecord(3).traceId}`,
        'evaluations',
        'odd label',
      ],
      [
        undefined,
        `evaluation "concise" on span ${evaluationRecord(1).spanId}`,
        'evaluations',
        'odd explanation',
      ],
    ],
  );
  const without = encodeRequest({
    spans: [spanRecord(0)],
    feedback: [feedbackRecord(0, 'HUMAN'), feedbackRecord(1, 'CODE')],
    evaluations: [evaluationRecord(0)],
  });
  assert.deepEqual(encoded.tables, without.tables, 'the other rows byte for byte');
  assert.equal(encoded.rows, without.rows);
});
