// appliesTo: attribute conditions compare the text stored for the attribute, whatever its type.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeToString } from '../../../src/records/attributeToString.js';
import { normalizeSpan } from '../../../src/normalize/normalizeSpan.js';
import type { AttrValue } from '../../../src/records/types.js';
import { appliesTo } from '../../../src/score/appliesTo.js';
import type { RubricTarget } from '../../../src/score/RubricFile.js';
import { span } from '../normalize/spans.js';

const target = (patterns: string[]): RubricTarget => ({
  spanKinds: [],
  models: [],
  services: [],
  attributes: { 'output.mime_type': patterns },
});
const withValue = (value: AttrValue) =>
  normalizeSpan(span({ 'openinference.span.kind': 'LLM', 'output.mime_type': value }));

test('a string attribute matches a literal or a * pattern, and nothing else', () => {
  const r = withValue('application/json');
  assert.equal(appliesTo(target(['application/json']), r), true);
  assert.equal(appliesTo(target(['application/*']), r), true);
  assert.equal(appliesTo(target(['text/plain', 'application/json']), r), true);
  assert.equal(appliesTo(target(['application/JSON']), r), false);
  assert.equal(appliesTo(target(['application']), r), false);
});

test('arrays, maps, bytes, numbers and booleans are matched as their stored text, never thrown on', () => {
  const values: AttrValue[] = [
    ['application/json', 7n],
    { n: 12n, nested: [1.5, true, null] },
    Uint8Array.from([1, 2, 3]),
    2.5,
    -0,
    9007199254740993n,
    true,
    null,
  ];
  for (const value of values) {
    const r = withValue(value);
    const text = attributeToString(value);
    assert.equal(appliesTo(target([text]), r), true, `${text} matches itself`);
    assert.equal(appliesTo(target(['*']), r), true);
    assert.equal(appliesTo(target(['application/json']), r), false, `${text} is not application/json`);
  }
  assert.equal(attributeToString(['application/json', 7n]), '["application/json",7]');
  assert.equal(appliesTo(target(['AQID']), withValue(Uint8Array.from([1, 2, 3]))), true, 'bytes as base64');
});

test('a missing attribute never matches, not even *', () => {
  const r = normalizeSpan(span({ 'openinference.span.kind': 'LLM' }));
  assert.equal(appliesTo(target(['*']), r), false);
});
