// The `judge_drift:` block of prefloop.yaml: the example in docs/agreement.md validates and maps to the
// schedule's settings; absent means off; a bad value is named by its path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG_YAML, parseConfig, ConfigError } from '../../../../src/config/loadConfig.js';
import { packagePath } from '../../../../src/paths.js';
import { driftSetupProblem } from '../../../../src/labels/calibration/scheduleDrift.js';

test('the documented judge_drift block validates, with its durations in ms', () => {
  const page = readFileSync(packagePath('docs', 'agreement.md'), 'utf8');
  const block = /```yaml\n(judge_drift:[\s\S]*?)```/.exec(page)?.[1];
  assert.ok(block, 'docs/agreement.md has a judge_drift yaml block');
  const config = parseConfig(`${DEFAULT_CONFIG_YAML}\n${block}`, 'docs');
  assert.deepEqual(config.judgeDrift, {
    enabled: true,
    interval: 600_000,
    window: 168 * 3_600_000,
    margin: 0.1,
    min_items: 20,
    spot_check_share: 0.05,
    annotators: ['ann', 'bob', 'cy'],
    per_item: 2,
  });
});

test('judge_drift is off by default; a bad value is named by its path', () => {
  assert.equal(parseConfig(DEFAULT_CONFIG_YAML, 'defaults').judgeDrift.enabled, false);
  assert.throws(
    () => parseConfig(`${DEFAULT_CONFIG_YAML}\njudge_drift:\n  spot_check_share: 2\n`, 'bad'),
    (err: unknown) =>
      err instanceof ConfigError && err.problems.some((p) => p.startsWith('judge_drift.spot_check_share')),
  );
});

test('settings under which the alarm could never decide are named (warned at serve start)', () => {
  const ok = { annotators: ['ann', 'bob'], per_item: 2, spot_check_share: 0.05 };
  assert.equal(driftSetupProblem(ok), undefined);
  assert.match(driftSetupProblem({ ...ok, annotators: [] }) ?? '', /to 0 annotator\(s\).*baseline needs two/);
  assert.match(driftSetupProblem({ ...ok, per_item: 1 }) ?? '', /to 1 annotator\(s\)/);
  assert.match(driftSetupProblem({ ...ok, spot_check_share: 0 }) ?? '', /spot_check_share is 0/);
});
