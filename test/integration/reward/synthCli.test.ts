// `prefloop synth` as a user runs it: a dry run writes the pairs to --out and stores nothing; an unreachable
// endpoint is named with its flag; a bad prompt file lists its bad lines; missing flags are listed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAiServer, type OpenAiServer } from '../../helpers/openaiServer.js';
import { runInProcess } from '../faults/cliHarness.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-synth-cli-'));
let model: OpenAiServer;
let judge: OpenAiServer;

before(async () => {
  let n = 0;
  model = await startOpenAiServer(() => ({ content: `${n++ % 2 === 0 ? 'good' : 'bad'} answer` }));
  judge = await startOpenAiServer((req) => {
    const a = /## Response A\n([\s\S]*?)\n\n## Response B\n/.exec(req.messages.at(-1)!.content)![1]!;
    return { content: JSON.stringify({ winner: a.startsWith('good') ? 'A' : 'B' }) };
  });
});

after(async () => {
  await model.close();
  await judge.close();
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

const prompts = join(root, 'prompts.txt');
writeFileSync(prompts, 'How do I reset my password?\n');
const args = (modelUrl: string, file = prompts) => [
  'synth',
  '--prompts',
  file,
  '--model-url',
  modelUrl,
  '--model',
  'm',
  '--judge-url',
  judge.baseUrl,
  '--judge-model',
  'j',
  '--store',
  `embedded:${join(root, 'none')}`,
];

test('--dry-run: the pairs in --out, nothing stored, a summary', async () => {
  const out = join(root, 'pairs.jsonl');
  const r = await runInProcess([...args(model.baseUrl), '--dry-run', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^1 prompts: 1 synthetic pairs, 0 ties, 0 order flips/);
  assert.match(r.stdout, /dry run: nothing stored/);
  const pair = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
  assert.equal(pair.chosen, 'good answer');
  assert.equal(pair.synthetic, true);
  assert.equal(existsSync(join(root, 'none')), false);
});

test('an unreachable model endpoint is named with its flag; a bad prompt file lists its lines', async () => {
  const dead = await runInProcess([...args('http://127.0.0.1:9/v1'), '--dry-run']);
  assert.equal(dead.code, 1);
  assert.match(dead.stderr, /the model \(--model-url http:\/\/127\.0\.0\.1:9\/v1\) failed: .*unreachable/);
  const bad = join(root, 'bad.jsonl');
  writeFileSync(bad, '{"prompt": 3}\nfine prompt\n{not json\n');
  const r = await runInProcess([...args(model.baseUrl, bad), '--dry-run']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.jsonl:1: expected/);
  assert.match(r.stderr, /bad\.jsonl:3: not JSON/);
  const missing = await runInProcess(['synth', '--prompts', prompts]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /--model-url is required[\s\S]*--judge-model is required/);
});

test('--second-model-url: answers alternate between two models, each pair compares them; the flags go together', async () => {
  const a = await startOpenAiServer(() => ({ content: 'good answer from a' }));
  const b = await startOpenAiServer(() => ({ content: 'bad answer from b' }));
  try {
    const out = join(root, 'two.jsonl');
    const r = await runInProcess([
      ...args(a.baseUrl),
      '--second-model-url',
      b.baseUrl,
      '--second-model',
      'b',
      '--dry-run',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([a.requests.length, b.requests.length], [1, 1], 'one answer from each model');
    assert.equal(b.requests[0]!.model, 'b');
    const pair = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    assert.deepEqual([pair.chosen, pair.rejected], ['good answer from a', 'bad answer from b']);
    const dead = await runInProcess([
      ...args(a.baseUrl),
      '--second-model-url',
      'http://127.0.0.1:9/v1',
      '--second-model',
      'b',
      '--dry-run',
    ]);
    assert.equal(dead.code, 1);
    assert.match(dead.stderr, /the model \(--second-model-url http:\/\/127\.0\.0\.1:9\/v1\) failed/);
    const half = await runInProcess([...args(a.baseUrl), '--second-model', 'b', '--dry-run']);
    assert.notEqual(half.code, 0);
    assert.match(half.stderr, /--second-model-url and --second-model go together/);
  } finally {
    await a.close();
    await b.close();
  }
});
