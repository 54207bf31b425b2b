// Format adherence: JSON, JSON Schema subset, regex.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAdherence } from '../../../../src/score/evaluators/formatAdherence.js';
import { syntheticRecord } from '../../../../src/score/syntheticRecord.js';

const score = (response: string, params: unknown) =>
  formatAdherence.evaluate(
    syntheticRecord({ prompt: [{ role: 'user', content: 'q' }], response }),
    formatAdherence.params.parse({ when: 'always', ...(params as object) }),
  );
const schema = {
  type: 'object',
  required: ['answer', 'confidence'],
  additionalProperties: false,
  properties: {
    answer: { type: 'string', minLength: 1 },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    tags: { type: 'array', items: { enum: ['a', 'b'] } },
  },
};

test('valid JSON, fenced JSON, and not JSON', () => {
  assert.equal(score('{"a": 1}', {})?.score, 1);
  assert.equal(score('```json\n{"a": 1}\n```', {})?.score, 1);
  assert.equal(score('```json\n{"a": 1}\n```', { allow_fenced: false })?.score, 0);
  const bad = score('{"a": 1,}', {})!;
  assert.equal(bad.label, 'invalid');
  assert.match(bad.explanation, /^not JSON/);
});

test('schema fits score 1; off-schema JSON scores 0.5 with paths', () => {
  assert.equal(score('{"answer": "yes", "confidence": 0.9, "tags": ["a"]}', { schema })?.score, 1);
  const r = score('{"answer": "", "confidence": 2, "tags": ["c"], "extra": 1}', { schema })!;
  assert.equal(r.score, 0.5);
  assert.match(r.explanation, /\$\.answer: shorter than 1/);
  assert.match(r.explanation, /\$\.confidence: above 1/);
  assert.match(r.explanation, /\+1 more/);
  assert.match(score('[1]', { schema })!.explanation, /expected object, got array/);
  assert.match(score('{"answer": "x"}', { schema })!.explanation, /missing required property confidence/);
});

test('regex format', () => {
  const p = { format: 'regex', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
  assert.equal(score('2024-05-01', p)?.score, 1);
  assert.equal(score('May 1st', p)?.score, 0);
});

test('bad params fail at load time', () => {
  assert.equal(formatAdherence.params.safeParse({ format: 'regex' }).success, false);
  assert.equal(formatAdherence.params.safeParse({ format: 'regex', pattern: '(' }).success, false);
  // Valid alone, invalid with the u flag: refused when the file loads, not thrown on every span.
  assert.equal(formatAdherence.params.safeParse({ format: 'regex', pattern: 'a\\-b' }).success, true);
  assert.equal(
    formatAdherence.params.safeParse({ format: 'regex', pattern: 'a\\-b', flags: 'u' }).success,
    false,
  );
  assert.equal(score('ABC', { format: 'regex', pattern: '^abc$', flags: 'i' })?.score, 1);
});

test('known limitation: $ref, oneOf and formats are ignored by the schema subset', () => {
  const s = { type: 'object', properties: { email: { type: 'string', format: 'email' } } };
  assert.equal(score('{"email": "not an email"}', { schema: s })?.score, 1);
});

test('format json judges only spans whose request asked for JSON (when: requested, the default)', () => {
  const p = formatAdherence.params.parse({});
  const span = (attributes: Record<string, string>, response: string) => {
    const r = syntheticRecord({ prompt: [{ role: 'user', content: 'q' }], response });
    Object.assign(r.span.attributes, attributes);
    return r;
  };
  // The OpenInference OpenAI instrumentation sets output.mime_type to application/json on every span.
  assert.equal(formatAdherence.evaluate(span({ 'output.mime_type': 'application/json' }, 'Sure.'), p), null);
  const params = (format: unknown) => ({
    'llm.invocation_parameters': JSON.stringify({ response_format: format }),
  });
  assert.equal(formatAdherence.evaluate(span(params({ type: 'text' }), 'Sure.'), p), null);
  assert.equal(formatAdherence.evaluate(span(params({ type: 'json_object' }), 'Dunno.'), p)?.score, 0);
  assert.equal(formatAdherence.evaluate(span(params({ type: 'json_schema' }), '{"a": 1}'), p)?.score, 1);
  assert.equal(formatAdherence.evaluate(span({ 'gen_ai.output.type': 'json' }, '[1]'), p)?.score, 1);
  assert.equal(formatAdherence.evaluate(span({ 'llm.invocation_parameters': '{json' }, 'x'), p), null);
  // Regex format, and json with when: always, judge every span the rubric selects.
  const regex = formatAdherence.params.parse({ format: 'regex', pattern: '^ok$' });
  assert.equal(formatAdherence.evaluate(span({}, 'ok'), regex)?.score, 1);
  assert.equal(
    formatAdherence.evaluate(span({}, 'Sure.'), formatAdherence.params.parse({ when: 'always' }))?.score,
    0,
  );
});
