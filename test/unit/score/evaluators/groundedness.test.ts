// Groundedness on hand-written RAG answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groundedness } from '../../../../src/score/evaluators/groundedness.js';
import { syntheticRecord } from '../../../../src/score/syntheticRecord.js';

const docs = [
  { content: 'The Eiffel Tower is 330 metres tall and was completed in 1889 for the World Fair in Paris.' },
];
const params = groundedness.params.parse(undefined);
const score = (response: string, documents = docs) =>
  groundedness.evaluate(
    syntheticRecord({
      prompt: [{ role: 'user', content: 'How tall is the Eiffel Tower?' }],
      response,
      documents,
    }),
    params,
  );

test('an answer restating the documents is grounded', () => {
  const r = score('The Eiffel Tower is 330 metres tall. It was completed in 1889 for the World Fair.');
  assert.equal(r?.score, 1);
  assert.equal(r?.label, 'grounded');
});

test('an invented claim lowers the score and is named in the explanation', () => {
  const r = score(
    'The Eiffel Tower is 330 metres tall. Gustave Eiffel secretly lived inside its summit apartment.',
  );
  assert.ok(r && r.score > 0 && r.score < 0.8, `score ${r?.score}`);
  assert.match(r.explanation, /least supported: "Gustave Eiffel secretly/);
});

test('a wholly unrelated answer is ungrounded', () => {
  const r = score('Bananas contain potassium and grow in tropical climates worldwide.');
  assert.equal(r?.score, 0);
  assert.equal(r?.label, 'ungrounded');
});

test('no documents and no system prompt: not applicable (null)', () => {
  assert.equal(score('Anything at all here.', []), null);
});

test('system messages count as context when asked to', () => {
  const record = syntheticRecord({
    prompt: [
      { role: 'system', content: 'Context: the warranty covers batteries for two years.' },
      { role: 'user', content: 'How long is the battery warranty?' },
    ],
    response: 'The warranty covers batteries for two years.',
  });
  const short = groundedness.params.parse({ min_system_terms: 0 });
  assert.equal(groundedness.evaluate(record, short)?.score, 1);
  assert.equal(
    groundedness.evaluate(record, groundedness.params.parse({ include_system_prompt: false })),
    null,
  );
  // By default a one-line system message is an instruction, not material: no context, no result.
  assert.equal(groundedness.evaluate(record, params), null);
});

test('no result where there is nothing to judge: a non-answer, or no sentence long enough', () => {
  const docs = [
    { content: 'The warranty covers batteries for two years from the date of purchase.', score: 1 },
  ];
  const record = (response: string) =>
    syntheticRecord({
      prompt: [{ role: 'user', content: 'How long is the battery warranty?' }],
      response,
      documents: docs,
    });
  assert.equal(groundedness.evaluate(record('Dunno.'), params), null);
  assert.equal(groundedness.evaluate(record("I can't help with that."), params), null);
  assert.equal(groundedness.evaluate(record('Sure!'), params), null);
  assert.equal(
    groundedness.evaluate(record('The warranty covers batteries for two years.'), params)?.score,
    1,
  );
});

test('known limitation: a paraphrase with no shared words reads as ungrounded', () => {
  // "330 metres" vs "over a thousand feet": true, but token overlap cannot see it.
  const r = score('That landmark rises over a thousand feet above Parisian streets.');
  assert.ok(r && r.score < 0.5);
});

test('known limitation: a contradiction using the same words reads as grounded', () => {
  const r = score('The Eiffel Tower was not completed in 1889 and is not 330 metres tall.');
  assert.equal(r?.score, 1);
});
