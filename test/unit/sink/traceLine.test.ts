// traceLine writes exactly the JSONCompactEachRow line of traceRow, whatever the span holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRACE_COLUMNS, traceRow } from '../../../src/sink/rows.js';
import { toCompactLine } from '../../../src/sink/Store.js';
import { traceLine } from '../../../src/sink/traceLine.js';
import type { AttrMap, AttrValue, SpanRecord } from '../../../src/normalize/types.js';
import { spanRecord } from './records.js';

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
    r.addedAttributes = {
      'evaluations.0.evaluation.name': 'toxicity',
      'evaluations.0.evaluation.score': 0.25,
    };
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
    r.addedAttributes = {
      [`evaluations.${i}.evaluation.explanation`]: text,
      [`evaluations.${i}.evaluation.score`]: -Infinity,
    };
    assert.equal(traceLine(r), rowLine(r), `text ${JSON.stringify(text)}`);
  });
});

test('added attributes that a plain object would not append keep the row object order', () => {
  const cases: Record<string, string | number>[] = [
    { 'openinference.span.kind': 'CHAIN' }, // already an own key: keeps its place
    { '7': 'index', 'evaluations.0.evaluation.name': 'n' }, // array index: listed first
    { '01': 'not an index' },
    { __proto__: 'ignored by assignment' },
    { toString: 'inherited name' },
  ];
  for (const added of cases) {
    const r = spanRecord(1);
    r.span.attributes = { '3': 'own index', 'openinference.span.kind': 'LLM', __proto__: 'own' } as AttrMap;
    Object.defineProperty(r.span.attributes, '__proto__', { value: 'own', enumerable: true });
    const copy: Record<string, string | number> = {};
    for (const k of Object.keys(added))
      Object.defineProperty(copy, k, {
        value: added[k],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    r.addedAttributes = copy;
    assert.equal(traceLine(r), rowLine(r), JSON.stringify(Object.keys(copy)));
  }
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
  r.addedAttributes = { 'evaluations.0.evaluation.metadata': '{"rubric_file_hash":"abc"}' };
  const first = traceLine(r);
  for (let i = 0; i < 5000; i++) traceLine({ ...r, addedAttributes: { [`x${i}`]: `v${i}` } });
  assert.equal(traceLine(r), first);
  r.addedAttributes = { 'evaluations.0.evaluation.metadata': 'é'.repeat(2000) };
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
  r.addedAttributes = { [`evaluations.0.evaluation.explanation`]: lone };
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
