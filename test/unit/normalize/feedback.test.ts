import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeToString, flattenAttributes } from '../../../src/records/attributeToString.js';
import { extractFeedback } from '../../../src/normalize/extractFeedback.js';
import { thumbOf } from '../../../src/normalize/thumbOf.js';
import { span } from './spans.js';

test('annotation and evaluation attributes judge the span that carries them', () => {
  const fb = extractFeedback(
    span({
      'session.id': 's-1',
      'annotations.0.annotation.name': 'user_feedback',
      'annotations.0.annotation.label': 'thumbs_up',
      'annotations.0.annotation.score': 1,
      'evaluations.0.evaluation.name': 'hallucination',
      'evaluations.0.evaluation.score': 0.2,
      'evaluations.0.evaluation.annotator_kind': 'code',
      'evaluations.0.evaluation.explanation': 'grounded',
    }),
  );
  assert.equal(fb.length, 2);
  const [human, code] = fb;
  assert.equal(human!.annotatorKind, 'HUMAN');
  assert.equal(human!.origin, 'span_attribute');
  assert.equal(human!.spanId, 'eee19b7ec3c1b174');
  assert.equal(human!.sessionId, 's-1');
  assert.equal(human!.timeUnixNano, 1_700_000_002_000_000_000n);
  assert.equal(thumbOf(human!), 'up');
  assert.equal(code!.annotatorKind, 'CODE');
  assert.equal(code!.name, 'hallucination');
  assert.equal(code!.score, 0.2);
  assert.equal(code!.explanation, 'grounded');
});

test('evaluation attributes a prefloop wrote stay on the span (ClickHouse files them), others are read', () => {
  const fb = extractFeedback(
    span({
      'evaluations.0.evaluation.name': 'toxicity',
      'evaluations.0.evaluation.score': 0,
      'evaluations.0.evaluation.metadata': '{"rubric_file_hash":"abc","passed":true}',
      'evaluations.1.evaluation.name': 'upstream',
      'evaluations.1.evaluation.metadata': '{"source":"phoenix"}',
      'evaluations.2.evaluation.name': 'unquoted_word',
      'evaluations.2.evaluation.metadata': 'rubric_file_hash',
    }),
  );
  // The same raw-text test as migration 0005's view: what it copies is not read here, and the reverse.
  assert.deepEqual(
    fb.map((f) => f.name),
    ['upstream', 'unquoted_word'],
  );
});

test('a carrier span with links applies its annotations to each linked span', () => {
  const links = [
    {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceState: '',
      attributes: {},
    },
    {
      traceId: '0af7651916cd43dd8448eb211c80319d',
      spanId: 'b7ad6b7169203332',
      traceState: '',
      attributes: {},
    },
  ];
  const fb = extractFeedback(
    span(
      { 'annotations.0.annotation.name': 'user_feedback', 'annotations.0.annotation.label': 'bad' },
      { links },
    ),
  );
  assert.deepEqual(
    fb.map((f) => [f.traceId, f.spanId, f.origin]),
    links.map((l) => [l.traceId, l.spanId, 'span_link']),
  );
  assert.equal(thumbOf(fb[0]!), 'down');
});

test('gen_ai.evaluation.result events become evaluation results at the event time', () => {
  const fb = extractFeedback(
    span(
      {},
      {
        events: [
          { name: 'other', timeUnixNano: 1n, attributes: {} },
          {
            name: 'gen_ai.evaluation.result',
            timeUnixNano: 1_700_000_003_000_000_001n,
            attributes: {
              'gen_ai.evaluation.name': 'relevance',
              'gen_ai.evaluation.score.value': 0.75,
              'gen_ai.evaluation.score.label': 'relevant',
              'gen_ai.evaluation.explanation': 'on topic',
            },
          },
        ],
      },
    ),
  );
  assert.equal(fb.length, 1);
  assert.equal(fb[0]!.origin, 'span_event');
  assert.equal(fb[0]!.annotatorKind, 'LLM');
  assert.equal(fb[0]!.timeUnixNano, 1_700_000_003_000_000_001n);
  assert.equal(fb[0]!.score, 0.75);
  assert.equal(fb[0]!.label, 'relevant');
});

test('feedback ids are deterministic and differ when the judgement differs', () => {
  const attrs = { 'annotations.0.annotation.name': 'user_feedback', 'annotations.0.annotation.score': 1 };
  assert.equal(extractFeedback(span(attrs))[0]!.feedbackId, extractFeedback(span(attrs))[0]!.feedbackId);
  assert.notEqual(
    extractFeedback(span(attrs))[0]!.feedbackId,
    extractFeedback(span({ ...attrs, 'annotations.0.annotation.score': 0 }))[0]!.feedbackId,
  );
  assert.deepEqual(extractFeedback(span({ 'input.value': 'x' })), []);
});

test('thumbs: label first, then score sign; other names are not thumbs', () => {
  const f = (label: string, score: number | null, name = 'user_feedback') => thumbOf({ name, label, score });
  assert.equal(f('Thumbs_Up', null), 'up');
  assert.equal(f('negative', 1), 'down');
  assert.equal(f('', 0.5), 'up');
  assert.equal(f('', 0), 'down');
  assert.equal(f('', -1), 'down');
  assert.equal(f('meh', null), null);
  assert.equal(f('up', 1, 'helpfulness'), null);
  assert.equal(thumbOf({ name: 'thumbs', label: 'good', score: null }, 'thumbs'), 'up');
});

test('attributeToString follows the collector AsString rules', () => {
  assert.equal(attributeToString('raw "text"'), 'raw "text"');
  assert.equal(attributeToString(9007199254740993n), '9007199254740993');
  assert.equal(attributeToString(true), 'true');
  assert.equal(attributeToString(0.1), '0.1');
  assert.equal(attributeToString(1e21), '1e+21');
  assert.equal(attributeToString(3), '3');
  assert.equal(attributeToString(new Uint8Array([0, 1, 255])), 'AAH/');
  assert.equal(attributeToString(['a', 1n, 1.5, false, null]), '["a",1,1.5,false,null]');
  assert.equal(attributeToString({ z: 1n, a: { b: 'c' } }), '{"a":{"b":"c"},"z":1}');
  assert.equal(attributeToString(null), '');
  assert.deepEqual(flattenAttributes({ a: 1n, b: ['x'] }), { a: '1', b: '["x"]' });
});

test('a link with a malformed id is not a feedback target (it would read as session-wide feedback)', () => {
  const good = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceState: '',
    attributes: {},
  };
  const bad = { traceId: '', spanId: '', traceState: '', attributes: {} };
  const attrs = {
    'session.id': 's-9',
    'annotations.0.annotation.name': 'user_feedback',
    'annotations.0.annotation.label': 'thumbs_down',
  };
  const fb = extractFeedback(span(attrs, { links: [bad, good] }));
  assert.deepEqual(
    fb.map((f) => [f.traceId, f.spanId]),
    [[good.traceId, good.spanId]],
  );
  assert.deepEqual(extractFeedback(span(attrs, { links: [bad] })), []);
});
