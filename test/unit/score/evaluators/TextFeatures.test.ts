// The per-span feature cache must never serve one span's tokens for another text.
import assert from 'node:assert/strict';
import test from 'node:test';
import { textFeatures } from '../../../../src/score/evaluators/TextFeatures.js';
import { sentences } from '../../../../src/score/evaluators/textBasics.js';
import { contentTerms, termsOf, words } from '../../../../src/score/evaluators/tokenize.js';
import { syntheticRecord } from '../../../../src/score/syntheticRecord.js';

const record = (response: string) =>
  syntheticRecord({
    prompt: [
      { role: 'system', content: 'Context: routers reset with a button.' },
      { role: 'user', content: 'How do I reset it?' },
    ],
    response,
    documents: [{ content: 'Hold the reset button for ten seconds.' }],
  });

test('features are computed once per record and recomputed when its texts change', () => {
  const r = record('Hold the button. Then wait!');
  const f = textFeatures(r);
  assert.equal(textFeatures(r), f, 'same record, same features');
  assert.deepEqual(
    f.responseWords.map((w) => w.text),
    words(r.response),
  );
  r.response = 'A different answer entirely.';
  assert.notEqual(textFeatures(r), f);
  assert.deepEqual(
    textFeatures(r).responseWords.map((w) => w.text),
    ['a', 'different', 'answer', 'entirely'],
  );
  const other = record(r.response);
  assert.notEqual(textFeatures(other), textFeatures(r), 'another record with equal text gets its own');
});

test('context terms are computed once per span and are null without context', () => {
  const f = textFeatures(record('x'));
  assert.equal(f.contextTerms(undefined), f.contextTerms(undefined), 'one term set per span and setting');
  assert.equal(textFeatures(syntheticRecord({ prompt: [], response: 'x' })).contextTerms(0), null);
});

test('sentence terms, response terms and context terms equal the plain helpers', () => {
  const text = 'Studies show routers reset.  Really?\n\nYes: hold it ten seconds! İstanbul done';
  for (const response of [text, text.replace('İstanbul ', '')]) {
    const f = textFeatures(record(response));
    assert.deepEqual(
      f.sentenceTerms,
      sentences(response).map((sentence) => ({ sentence, terms: contentTerms(sentence) })),
    );
    assert.deepEqual(termsOf(f.responseWords), contentTerms(response));
    assert.deepEqual(termsOf(f.lastUserWords), contentTerms('How do I reset it?'));
    const probe = [...contentTerms('hold reset button ten seconds context routers with how answer'), 'zzz'];
    const withSystem = new Set(
      contentTerms('Hold the reset button for ten seconds.\nContext: routers reset with a button.'),
    );
    const docsOnly = new Set(contentTerms('Hold the reset button for ten seconds.'));
    for (const t of probe) {
      assert.equal(f.contextTerms(0)!.has(t), withSystem.has(t), t);
      assert.equal(f.contextTerms(undefined)!.has(t), docsOnly.has(t), t);
    }
  }
});
