// Held-out preference accuracy from prompt log-probabilities: two endpoints that echo log-probabilities give
// the DPO implicit-reward accuracy with the baseline as reference, checked here by hand on two pairs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../faults/cliHarness.js';
import { startModelServer } from '../../helpers/modelServer.js';
import type { ModelServer } from '../../helpers/modelServer.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-gate-lp-'));
const store = ['--store', `embedded:${join(root, 'store')}`];
const holdout = join(root, 'holdout.jsonl');
let server: ModelServer;
let vllm: ModelServer;
/** The baseline: −1 a token. The tuned model raised "five" (−0.2) and "maybe" (−0.1), lowered "No." (−3). */
const logprob = (token: string, model: string) =>
  model === 'tuned' ? (({ five: -0.2, maybe: -0.1, 'No.': -3 } as Record<string, number>)[token] ?? -1) : -1;

before(async () => {
  // The `dpo` format: the prompt as HH text, chosen and rejected as text; no manifest beside it.
  writeFileSync(
    holdout,
    [
      {
        prompt: '\n\nHuman: How long do refunds take?\n\nAssistant:',
        chosen: 'Refunds take five days.',
        rejected: 'No.',
      },
      {
        prompt: '\n\nHuman: Can I pay later?\n\nAssistant:',
        chosen: 'It depends.',
        rejected: 'maybe later.',
      },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
  server = await startModelServer({
    chat: () => 'Refunds take five business days once the item is back.',
    tokenLogprob: logprob,
  });
  // A vLLM-like server: no /v1/completions, prompt_logprobs on chat completions.
  vllm = await startModelServer({
    chat: () => 'Refunds take five business days once the item is back.',
    chatTokenLogprob: logprob,
  });
  const m = await runInProcess(['migrate', ...store]);
  assert.equal(m.code, 0, m.stderr);
});

after(async () => {
  await server?.close();
  await vllm?.close();
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

test('implicit-reward accuracy, by hand: pair 1 ordered right (margin +2.8), pair 2 wrong (−0.9) → 0.5', async () => {
  // Pair 1: chosen (−0.2 − 3) − (−4) = +0.8; rejected −3 − (−1) = −2; margin 0.8 + 2 = 2.8 > 0.
  // Pair 2: chosen (−2) − (−2) = 0; rejected (−1.1) − (−2) = +0.9; margin −0.9 < 0.
  const r = await runInProcess([
    'gate',
    ...store,
    '--holdout',
    holdout,
    '--baseline-url',
    server.baseUrl,
    '--baseline-model',
    'base',
    '--candidate-url',
    server.baseUrl,
    '--candidate-model',
    'tuned',
    '--format',
    'json',
  ]);
  // 0.5 is the floor, and preference accuracy must clear it: hold, whatever the rubrics did.
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as {
    preference_accuracy: unknown;
    warnings: string[];
    reasons: string[];
  };
  assert.match(
    report.reasons.join('\n'),
    /DPO implicit-reward accuracy 0\.500 \(1 of 2 hold-out pairs ordered right, baseline as reference\) does not clear the floor 0\.5/,
  );
  assert.deepEqual(report.preference_accuracy, {
    method: 'implicit_reward',
    accuracy: 0.5,
    n: 2,
    correct: 1,
    ties: 0,
    unmeasured: 0,
    floor: 0.5,
  });
  assert.equal(server.count('/v1/completions'), 8, 'two pairs × chosen/rejected × two models');
  assert.match(report.warnings[0]!, /no manifest\.json beside .*holdout\.jsonl/);
  const echoed = server.requests.find((q) => q.path === '/v1/completions')!.body;
  assert.equal(echoed.echo, true);
  assert.equal(echoed.logprobs, 0);
});

test('the same accuracy from vLLM chat prompt_logprobs when /v1/completions is not offered', async () => {
  const r = await runInProcess([
    'gate',
    ...store,
    '--holdout',
    holdout,
    '--baseline-url',
    vllm.baseUrl,
    '--baseline-model',
    'base',
    '--candidate-url',
    vllm.baseUrl,
    '--candidate-model',
    'tuned',
    '--format',
    'json',
  ]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const report = JSON.parse(r.stdout) as {
    preference_accuracy: { method: string; accuracy: number; correct: number };
  };
  assert.equal(report.preference_accuracy.method, 'implicit_reward');
  assert.equal(report.preference_accuracy.accuracy, 0.5);
  assert.equal(report.preference_accuracy.correct, 1);
  const asked = vllm.requests.filter((q) => q.body.prompt_logprobs === 0);
  assert.ok(
    asked.some((q) => q.body.continue_final_message === true && q.body.add_generation_prompt === false),
  );
});
