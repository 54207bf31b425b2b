// Scorer.scoreSync never throws: a rubric whose match or evaluator fails is counted, and the span keeps the
// other rubrics' results (one bad value must not fail the request that carries the span).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULTS } from '../../../src/names.js';
import { normalizeSpan } from '../../../src/normalize/normalizeSpan.js';
import { Metrics } from '../../../src/observe/Metrics.js';
import { loadRubricFile } from '../../../src/score/RubricFile.js';
import { Scorer } from '../../../src/score/Scorer.js';
import { span } from '../normalize/spans.js';

const llmSpan = () =>
  span({
    'openinference.span.kind': 'LLM',
    'input.value': 'What is the capital of France?',
    'output.value': 'The capital of France is Paris.',
  });

test('a rubric whose applies_to match throws is counted as an error; the other rubrics still score', () => {
  const metrics = new Metrics();
  const scorer = new Scorer(loadRubricFile(DEFAULTS.rubricFile), { metrics, skipJudges: true });
  const plain = scorer.scoreSync(normalizeSpan(llmSpan()));

  const record = normalizeSpan(llmSpan());
  // The default json_format rubric reads the request's invocation parameters: reading them throws here.
  const attributes = new Proxy(record.span.attributes, {
    get(target, key, receiver) {
      if (key === 'llm.invocation_parameters') throw new Error('unreadable attribute');
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  (record as { span: typeof record.span }).span = { ...record.span, attributes };
  const results = scorer.scoreSync(record);

  assert.deepEqual(
    results.map((r) => r.rubricId),
    plain.map((r) => r.rubricId),
    'the same rubrics scored as on the plain span',
  );
  assert.ok(results.length >= 5);
  assert.equal(metrics.get('prefloop_rubric_errors_total', { rubric: 'json_format' }), 1);
  assert.equal(metrics.get('prefloop_rubric_errors_total', { rubric: 'completeness' }), 0);
});
