// Masking config: defaults, and every problem reported with its path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MaskingConfigError, REDACTED, parseMaskingConfig } from '../../../src/security/maskingConfig.js';

test('an empty config masks nothing and uses the OpenInference replacement', () => {
  const c = parseMaskingConfig(undefined);
  assert.equal(c.hide_inputs, false);
  assert.deepEqual(c.patterns, []);
  assert.equal(c.replacement, REDACTED);
  assert.ok(Object.isFrozen(c));
});

test('lists every problem with its path', () => {
  try {
    parseMaskingConfig({
      hide_inputs: 'yes',
      builtin_patterns: ['emails', 'phone_numbers'],
      patterns: [{ name: 'x', regex: '(' }],
      hideInputs: true,
    });
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(err instanceof MaskingConfigError);
    const text = err.problems.join('\n');
    assert.match(text, /processors\.masking\.hide_inputs:/);
    assert.match(text, /processors\.masking\.builtin_patterns\.1:/);
    assert.match(text, /processors\.masking\.patterns\.0\.regex: not a valid regex/);
    assert.match(text, /hideInputs/);
    assert.equal(err.problems.length, 4);
  }
});
