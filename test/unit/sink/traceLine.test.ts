// traceLine writes exactly the JSONCompactEachRow line of traceRow, whatever the span holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRACE_COLUMNS, traceRow } from '../../../src/sink/rows.js';
import { toCompactLine } from '../../../src/sink/Store.js';
import { traceLine as lineOf, TraceLineWriter } from '../../../src/sink/traceLine.js';
import type { AttrMap, AttrValue, EvaluationRecord, SpanRecord } from '../../../src/records/types.js';
import { addEvaluationAttributes } from '../../../src/records/evaluationAttributes.js';
import { evaluationRecord, spanRecord } from './records.js';
import { normalizeSpan } from '../../../src/normalize/normalizeSpan.js';

/** One writer for the whole file, as a sink has: what it remembers from earlier spans must never change a line. */
const writer = new TraceLineWriter();
const traceLine = (r: Parameters<typeof lineOf>[0]): string => lineOf(r, writer);

/** What a compact body held before traceLine: the row object's values, stringified. */
const rowLine = (r: SpanRecord) => toCompactLine(traceRow(r));

const ODD_TEXT = [
  '',
  'plain',
  'quote " and \\ slash',
  'line\nbreak\ttab\u0000\u001f',
  'é ÿ € 漢 😀',
  'lone \ud800 x \udfff',
  '\u2028\u2029\u007f',
  '’quotes’',
];
const ODD_VALUES: AttrValue[] = [
  ...ODD_TEXT,
  9007199254740993n,
  -5n,
  true,
  false,
  0,
  -0,
  1.5,
  1e21,
  NaN,
  -Infinity,
  null,
  new Uint8Array([0, 1, 255]),
  ['a', 1n, [true, null]],
  { z: 1n, a: { b: 'c"' } },
];

function oddAttributes(seed: number): AttrMap {
  const out: AttrMap = {};
  ODD_VALUES.forEach((v, i) => {
    if ((i + seed) % 3 !== 0) out[`k${i}.${ODD_TEXT[(i + seed) % ODD_TEXT.length]}`] = v;
  });
  return out;
}

test('traceLine is the row object stringified, for ordinary spans and added rubric attributes', () => {
  for (let i = 0; i < 6; i++) {
    const r = spanRecord(i);
    assert.equal(traceLine(r), rowLine(r));
    addEvaluationAttributes(r, [{ ...evaluationRecord(i), rubricId: 'toxicity', score: 0.25 }], 'h');
    assert.equal(traceLine(r), rowLine(r));
    r.span.events = [];
    r.span.links = [];
    r.documents = [];
    r.prompt = [];
    assert.equal(traceLine(r), rowLine(r));
  }
});

test('traceLine matches on odd text, every value type, events, links and documents', () => {
  ODD_TEXT.forEach((text, i) => {
    const r = spanRecord(i);
    r.span.attributes = oddAttributes(i);
    r.span.resource = oddAttributes(i + 1);
    r.span.events[0]!.attributes = oddAttributes(i + 2);
    r.span.events[1]!.name = text;
    r.span.links[0]!.traceState = text;
    r.span.name = text;
    r.span.statusMessage = text;
    r.serviceName = text;
    r.response = text;
    r.prompt = [
      { role: 'user', content: text },
      { role: text, content: 'fine' },
    ];
    r.documents = [{ content: text, score: NaN, id: text }, { content: 'x' }];
    r.tokensPrompt = [-1, 1.7, 2 ** 33, NaN, Infinity, 0, -0, 3][i]!;
    r.addedEvaluations = [
      {
        start: i,
        results: [{ ...evaluationRecord(i), explanation: text, label: text, score: -Infinity }],
        setHash: text,
      },
    ];
    assert.equal(traceLine(r), rowLine(r), `text ${JSON.stringify(text)}`);
  });
});

test('long text (written straight into the buffer) matches too, escaped or not, in every place it occurs', () => {
  ODD_TEXT.forEach((text, i) => {
    const long = (text + ' plain words ').repeat(20);
    const r = spanRecord(i);
    r.span.attributes = {
      'input.value': long,
      'output.value': 'short',
      'llm.output_messages.0.message.content': long,
    };
    r.span.statusMessage = long;
    r.response = long;
    r.prompt = [
      { role: 'system', content: 'x'.repeat(200) },
      { role: 'user', content: long },
    ];
    addEvaluationAttributes(r, [{ ...evaluationRecord(i), explanation: long }], 'h');
    assert.equal(traceLine(r), rowLine(r), `text ${JSON.stringify(text)}`);
    r.span.attributes = {};
    assert.equal(traceLine(r), rowLine(r), `no own attributes, text ${JSON.stringify(text)}`);
  });
});

test('prompt texts the normaliser found verbatim are not tested again, and the line still matches', () => {
  ODD_TEXT.forEach((text, i) => {
    const long = (text + ' plain words ').repeat(20);
    const r = spanRecord(i);
    r.span.attributes = {
      'openinference.span.kind': 'LLM',
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Be brief, kind and exact in every reply.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': long,
      'llm.input_messages.2.message.role': 'user',
      'llm.input_messages.2.message.content': `short ${text} one`,
      'llm.output_messages.0.message.content': long,
    };
    const normalised = normalizeSpan(r.span);
    // Only texts that need no escape are reported; the line is the row object stringified all the same.
    assert.ok(normalised.verbatimTexts!.includes('Be brief, kind and exact in every reply.'));
    for (const known of normalised.verbatimTexts!) assert.match(known, /^[^\u0000-\u001f"\\\ud800-\udfff]*$/);
    assert.equal(traceLine(normalised), rowLine(normalised), `text ${JSON.stringify(text)}`);
    // Texts are matched by value: a prompt replaced after normalising (here by one as long as a known text)
    // is tested as any other text.
    normalised.prompt = [{ role: 'user', content: `"${long.slice(1)}` }];
    normalised.span.attributes['llm.input_messages.1.message.content'] = `${long.slice(0, -1)}\n`;
    assert.equal(traceLine(normalised), rowLine(normalised), `replaced, text ${JSON.stringify(text)}`);
  });
});

test('added results follow every index the span has: after the own attributes, several rubric files in turn', () => {
  const r = spanRecord(1);
  r.span.attributes = { '3': 'own index', 'evaluations.4.evaluation.name': 'upstream', 'x.y': 1n };
  addEvaluationAttributes(r, [evaluationRecord(1)], 'h1');
  addEvaluationAttributes(r, [evaluationRecord(2), evaluationRecord(3)], 'h2');
  assert.equal(traceLine(r), rowLine(r));
  const keys = Object.keys((JSON.parse(traceLine(r)) as Record<string, string>[])[11]!);
  assert.deepEqual(keys.slice(0, 3), ['3', 'evaluations.4.evaluation.name', 'x.y']);
  assert.deepEqual(
    keys.filter((k) => k.endsWith('.name')),
    [
      'evaluations.4.evaluation.name',
      'evaluations.5.evaluation.name',
      'evaluations.6.evaluation.name',
      'evaluations.7.evaluation.name',
    ],
  );
});

test('the line lists values in TRACE_COLUMNS order', () => {
  const r = spanRecord(2);
  const values = JSON.parse(traceLine(r)) as unknown[];
  assert.equal(values.length, TRACE_COLUMNS.length);
  const row = traceRow(r);
  TRACE_COLUMNS.forEach((column, i) =>
    assert.deepEqual(values[i], JSON.parse(JSON.stringify(row[column])), column),
  );
});

test('recurring keys and values are memoised without changing the output', () => {
  const r = spanRecord(3);
  addEvaluationAttributes(r, [evaluationRecord(3)], 'abc');
  const first = traceLine(r);
  for (let i = 0; i < 5000; i++)
    traceLine({
      ...r,
      addedEvaluations: [
        { start: i, results: [{ ...evaluationRecord(i), label: `v${i}` }], setHash: `h${i}` },
      ],
    });
  assert.equal(traceLine(r), first);
  // Indices past those whose keys are kept are built each time, the same way.
  for (const start of [255, 256, 999_999]) {
    r.addedEvaluations = [{ start, results: [evaluationRecord(3)], setHash: 'abc' }];
    assert.equal(traceLine(r), rowLine(r), `start ${start}`);
  }
  // One rubric id at alternating versions (two files in one process): each line names its own version.
  for (const version of ['1', '2', '1', 'x"y']) {
    r.addedEvaluations = [
      { start: 0, results: [{ ...evaluationRecord(3), rubricVersion: version }], setHash: 'abc' },
    ];
    assert.equal(traceLine(r), rowLine(r), `version ${version}`);
  }
  r.addedEvaluations = [
    { start: 0, results: [{ ...evaluationRecord(3), explanation: 'é'.repeat(2000) }], setHash: 'abc' },
  ];
  assert.equal(traceLine(r), rowLine(r));
});

test('no lone surrogate reaches the line, nor the JSON text inside it (ClickHouse refuses their escapes)', () => {
  const lone = 'x\ud800y\udfff';
  const r = spanRecord(1);
  r.span.attributes = { [`key${lone}`]: lone, list: [lone] };
  r.span.events = [{ timeUnixNano: 1n, name: lone, attributes: { a: lone } }];
  r.span.links = [{ traceId: 'd'.repeat(32), spanId: 'e'.repeat(16), traceState: lone, attributes: {} }];
  r.prompt = [{ role: 'user', content: lone }];
  r.documents = [{ content: lone }];
  r.response = lone;
  r.addedEvaluations = [
    { start: 0, results: [{ ...evaluationRecord(1), explanation: lone }], setHash: lone },
  ];
  const line = traceLine(r);
  assert.equal(line, rowLine(r));
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      strings.push(v);
      if (v.startsWith('[') || v.startsWith('{')) walk(JSON.parse(v));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        strings.push(k);
        walk(x);
      }
  };
  walk(JSON.parse(line));
  assert.ok(strings.filter((s) => s.includes('x\uFFFDy\uFFFD')).length >= 10);
  for (const s of strings) assert.ok(s.isWellFormed(), JSON.stringify(s));
});

test('a result that recurs is written from memory only when every field but the explanation matches too', () => {
  const r = spanRecord(5);
  const base = evaluationRecord(5);
  const variants: Partial<EvaluationRecord>[] = [
    {},
    { score: 0.25 },
    { score: -0 },
    { score: 0 },
    { score: NaN },
    { label: 'fail' },
    { rubricId: 'other' },
    { rubricVersion: '3' },
    { annotatorKind: 'LLM' },
    { metadata: '{"rubric_file_hash":"abc","x":1}' },
    { metadata: 'not json' },
  ];
  // The same result, then one that differs from it in one field only, then that again (from memory);
  // at two indices and under two file hashes.
  for (const setHash of ['abc', 'def'])
    for (const start of [0, 3])
      for (const v of variants)
        for (const e of [base, { ...base, ...v }, { ...base, ...v }]) {
          r.addedEvaluations = [{ start, results: [e], setHash }];
          assert.equal(traceLine(r), rowLine(r), `${JSON.stringify(v)} at ${start} under ${setHash}`);
        }
  // The same result under another rubric file hash (which its metadata gets when it has none).
  for (const setHash of ['abc', 'def', 'abc']) {
    r.addedEvaluations = [{ start: 0, results: [{ ...base, metadata: '{"x":1}' }], setHash }];
    assert.equal(traceLine(r), rowLine(r), `under ${setHash}`);
  }
});

test('a rubric alternating between results finds each in memory, not only the one it gave last', () => {
  const r = spanRecord(6);
  const a = { ...evaluationRecord(6), rubricId: 'alternating', explanation: 'first kind of verdict' };
  const b = { ...a, explanation: 'second kind of verdict' }; // the same result in every other field
  // a, b, a, b: each recurrence is one the rubric did not give last; then a with another score (same
  // explanation as a memory entry, but not the same result), and b after it.
  for (const e of [a, b, a, b, { ...a, score: 0.75 }, b, { ...a, score: 0.75 }, a]) {
    r.addedEvaluations = [{ start: 0, results: [e], setHash: 'h' }];
    assert.equal(traceLine(r), rowLine(r), `${e.explanation} ${e.score}`);
  }
});

test('spans sharing a resource object share its joined columns; any other resource, service or scope is joined anew', () => {
  const a = spanRecord(1);
  const b = spanRecord(2);
  b.span.resource = a.span.resource; // as the spans of one ResourceSpans are decoded
  const other = spanRecord(3);
  other.span.resource = { 'service.name': 'other-api', 'k8s.pod.name': 'p"1' };
  other.serviceName = 'other-api';
  // Each variant differs from b in one way only, and follows b.
  const variants: SpanRecord[] = [
    other,
    { ...b, serviceName: 'renamed' },
    { ...b, span: { ...b.span, scopeName: 'another.scope' } },
    { ...b, span: { ...b.span, scopeVersion: '9.9' } },
    { ...b, span: { ...b.span, resource: { ...a.span.resource, 'host.cores': '16' } } },
  ];
  const sequence = [a, ...variants.flatMap((v) => [b, v])];
  for (const [i, r] of sequence.entries()) assert.equal(traceLine(r), rowLine(r), `span ${i}`);
});

test('results written from memory as bytes: first in an empty map, between fresh ones, in two groups, non-ASCII', () => {
  const r = spanRecord(6);
  r.span = { ...r.span, attributes: {} };
  const base = evaluationRecord(6);
  const accented = { ...base, rubricId: 'accent', explanation: 'café ✓ 😀 “quoted” \\ "x"' };
  const fresh = (n: number): EvaluationRecord => ({ ...base, rubricId: 'fresh', explanation: `unique ${n}` });
  // From the second round on, base and accented come from memory (as bytes); fresh results never do.
  for (let round = 0; round < 3; round++) {
    r.addedEvaluations = [
      { start: 0, results: [base, fresh(round), accented], setHash: 'abc' },
      { start: 3, results: [accented, fresh(round + 10)], setHash: 'abc' },
    ];
    assert.equal(traceLine(r), rowLine(r), `round ${round}`);
  }
});
