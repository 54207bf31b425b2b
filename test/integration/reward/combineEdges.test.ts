// The reward's combination against the SQL Path A runs (span_rubric_scores, and export --format reward over it)
// on the edge cases a default rubric file hides: weights other than 1, lower-is-better rubrics with a weight,
// `pairs: false`, rubrics whose applies_to (service, model, attributes) does not match, a format rubric that
// judges only where JSON was asked (a span attribute), and a span where no weighted rubric applied at all.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPairs } from '../../../src/export/exportPairs.js';
import { TABLES } from '../../../src/names.js';
import { OI } from '../../../src/conventions.js';
import { normalizeSpan } from '../../../src/normalize/normalizeSpan.js';
import type { ChatMessage, DecodedSpan } from '../../../src/records/types.js';
import { RewardScorer } from '../../../src/reward/RewardScorer.js';
import { parseRubricFile } from '../../../src/score/RubricFile.js';
import { Scorer } from '../../../src/score/Scorer.js';
import { evaluationRow } from '../../../src/sink/rows.js';
import type { Store } from '../../../src/sink/Store.js';
import { pairDescriptors, writeRubricPairConfig } from '../../../src/views/rubricPairConfig.js';
import { ask, insertSpans, llmSpan, tempStore } from '../../helpers/traces.js';

const set = parseRubricFile(
  Buffer.from(`
rubrics:
  - id: tox
    evaluator: toxicity
    threshold: 0.3
    direction: lower_is_better
    pairs: { weight: 3 }
    applies_to: { service: ['support-*'] }
  - id: complete
    evaluator: completeness
    threshold: 0.5
    pairs: { weight: 0.25 }
    applies_to: { model: ['gpt-*'] }
  - id: refusal
    evaluator: answer_refusal
    threshold: 0.5
    pairs: false
  - id: short
    evaluator: length
    params: { min: 1, max: 6 }
    threshold: 0.5
    direction: lower_is_better
    pairs: { weight: 2 }
    applies_to: { service: ['support-*'] }
  - id: json
    evaluator: format_adherence
    params: { format: json }
    threshold: 1
    pairs: { weight: 1.5 }
  - id: pii
    evaluator: pii_leakage
    threshold: 0.5
    pairs: { weight: 5 }
    applies_to: { model: ['gpt-*'], attributes: { team: ['billing'] } }
`),
  'edges.yaml',
);

const JSON_ASKED = {
  [OI.invocationParameters]: JSON.stringify({ response_format: { type: 'json_object' } }),
};

interface Case {
  prompt: ChatMessage[];
  completion: string;
  service: string;
  model: string;
  attributes: Record<string, string>;
}

const CASES: Case[] = [
  {
    prompt: ask('How do I reset my password?'),
    completion: 'Open Settings, then Security, then choose Reset password and follow the link.',
    service: 'support-web',
    model: 'gpt-4o',
    attributes: {},
  },
  {
    prompt: ask('How do I reset my password?'),
    completion: 'Figure it out yourself, idiot.',
    service: 'support-web',
    model: 'llama-3',
    attributes: {},
  },
  // Only `refusal` (pairs: false) applies, and `json` gives no result without JSON asked: no weighted rubric.
  {
    prompt: ask('How do I reset my password?'),
    completion: 'Open Settings and reset it there.',
    service: 'other-app',
    model: 'llama-3',
    attributes: {},
  },
  {
    prompt: ask('Give me the order status.'),
    completion: '{"status": "shipped"}',
    service: 'support-app',
    model: 'gpt-4o',
    attributes: { ...JSON_ASKED, team: 'billing' },
  },
  {
    prompt: ask('Give me the order status.'),
    completion: 'Shipped; write to jane.doe@example.com or call 415-555-0134 with questions.',
    service: 'other-app',
    model: 'gpt-4o',
    attributes: { ...JSON_ASKED, team: 'billing' },
  },
];

let store: Store;
let cleanup: () => Promise<void>;
let out: string;
let spans: DecodedSpan[];

before(async () => {
  ({ store, cleanup } = await tempStore('reward-edges'));
  out = mkdtempSync(join(tmpdir(), 'prefloop-reward-edges-'));
  await writeRubricPairConfig(store, pairDescriptors(set));
  spans = CASES.map((c, i) => {
    const span = llmSpan({
      prompt: c.prompt,
      response: c.completion,
      time: i * 60,
      attributes: { [OI.modelName]: c.model, ...c.attributes },
    });
    span.resource = { 'service.name': c.service };
    return span;
  });
  await insertSpans(store, spans);
  const scorer = new Scorer(set, { skipJudges: true });
  const evaluations = spans.flatMap((s) => scorer.scoreSync(normalizeSpan(s)));
  await store.insert(TABLES.evaluations, evaluations.map(evaluationRow));
});

after(async () => {
  await cleanup();
  rmSync(out, { recursive: true, force: true, maxRetries: 5 });
});

test('the reward is the combined score span_rubric_scores computes, edge cases included', async () => {
  const answer = new RewardScorer(set).score(CASES.map((c) => ({ ...c, context: [] as string[] })));
  const applied = answer.results.map((r) => r.map((x) => x.rubric));
  // The cases exercise what they claim to.
  assert.deepEqual(applied[2], ['refusal'], 'case 2: no weighted rubric applied');
  assert.ok(applied[3]!.includes('json') && applied[3]!.includes('pii'), 'case 3: attributes matched');
  assert.ok(!applied[0]!.includes('json') && !applied[0]!.includes('pii'), 'case 0: no JSON asked, no team');
  assert.ok(applied[1]!.includes('tox') && !applied[1]!.includes('complete'), 'case 1: service, not model');
  assert.ok(
    answer.results[1]!.find((r) => r.rubric === 'tox')!.score > 0,
    'a weighted lower-is-better score',
  );
  assert.equal(answer.results[4]!.find((r) => r.rubric === 'pii')?.pass, false);

  for (const [i, span] of spans.entries()) {
    const rows = await store.query<{ Combined: number; Applied: string }>(
      'SELECT Combined, Applied FROM span_rubric_scores WHERE SpanId = {s:String}',
      { s: span.spanId },
    );
    const weighted = applied[i]!.filter((id) => set.rubrics.find((r) => r.id === id)!.pairs !== null);
    assert.equal(
      rows[0]?.Applied ?? '',
      [...weighted].sort().join(','),
      `case ${i}: the same rubrics combined`,
    );
    const stored = rows.length ? Number(rows[0]!.Combined) : 0;
    assert.ok(
      Math.abs(answer.rewards[i]! - stored) < 1e-9,
      `case ${i}: reward ${answer.rewards[i]} = span_rubric_scores ${stored}`,
    );
  }
  assert.equal(answer.rewards[2], 0, 'nothing weighted applied: 0');
  assert.ok(new Set(answer.rewards).size >= 4, 'the cases give different rewards');
});

test('export --format reward carries the same reward and the rubrics it combined', async () => {
  const result = await exportPairs(store, { format: 'reward', outDir: join(out, 'x'), holdout: 0 });
  const rows = readFileSync(result.trainPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(
      (l) =>
        JSON.parse(l) as {
          span_id: string;
          reward: number;
          reward_rubrics: string[];
          scores: Record<string, number>;
        },
    );
  assert.equal(rows.length, CASES.length);
  const answer = new RewardScorer(set).score(CASES.map((c) => ({ ...c, context: [] as string[] })));
  for (const [i, span] of spans.entries()) {
    const row = rows.find((r) => r.span_id === span.spanId)!;
    assert.ok(Math.abs(row.reward - answer.rewards[i]!) < 1e-9, `case ${i}: exported reward`);
    const stored = await store.query<{ Name: string; Score: number }>(
      'SELECT Name, Score FROM evaluations WHERE SpanId = {s:String} ORDER BY Name',
      { s: span.spanId },
    );
    assert.deepEqual(
      row.scores,
      Object.fromEntries(stored.map((e) => [e.Name, Number(e.Score)])),
      `case ${i}: the stored evaluations`,
    );
    const weighted = answer.results[i]!.map((r) => r.rubric).filter(
      (id) => set.rubrics.find((r) => r.id === id)!.pairs !== null,
    );
    assert.deepEqual(row.reward_rubrics, [...weighted].sort(), `case ${i}: reward_rubrics`);
  }
});
