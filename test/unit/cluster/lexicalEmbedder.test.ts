// The lexical embedder: deterministic, unit length, paraphrases nearer than other failure modes, and IDF
// that lowers what every text of a corpus shares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitIdf, LEXICAL_DIMENSIONS, lexicalEmbedding } from '../../../src/cluster/embed/lexicalEmbedder.js';
import { lexicalFeatures } from '../../../src/cluster/embed/lexicalFeatures.js';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

test('the same text gives the same unit vector of 128 dimensions, every time', () => {
  const a = lexicalEmbedding('I am sorry, but I cannot help with the refund policy.');
  const b = lexicalEmbedding('I am sorry, but I cannot help with the refund policy.');
  assert.equal(a.length, LEXICAL_DIMENSIONS);
  assert.deepEqual(a, b);
  assert.ok(Math.abs(cosine(a, a) - 1) < 1e-5);
});

test('an empty or stop-word-only text is the zero vector', () => {
  assert.ok(lexicalEmbedding('').every((v) => v === 0));
  assert.ok(lexicalEmbedding('and the of it').every((v) => v === 0));
});

test('a paraphrase of the same failure is nearer than another failure about the same topic', () => {
  const refusal = lexicalEmbedding("I'm sorry, but I can't help with questions about the refund policy.");
  const paraphrase = lexicalEmbedding('Sorry, I cannot help with that refund question, it is not allowed.');
  const citation = lexicalEmbedding(
    'According to a 2019 Harvard study, the refund policy improves retention.',
  );
  assert.ok(cosine(refusal, paraphrase) > cosine(refusal, citation));
});

test('IDF lowers a word every text shares, so the rest decides', () => {
  const texts = [
    'thanks refund denied',
    'thanks refund denied again',
    'thanks harvard study',
    'thanks harvard paper',
  ];
  const idf = fitIdf(texts);
  const [a, b, c] = texts.map((t) => lexicalEmbedding(t, idf));
  const [x, , z] = texts.map((t) => lexicalEmbedding(t));
  assert.ok(cosine(a!, c!) < cosine(x!, z!), 'the shared word counts less with IDF');
  assert.ok(cosine(a!, b!) > cosine(a!, c!));
});

test('features: sublinear term frequency, stop words dropped, bigrams and trigrams kept', () => {
  const f = lexicalFeatures('Refund refund REFUND policy, the end');
  assert.ok(Math.abs(f.get('w:refund')! - (1 + Math.log(3))) < 1e-12);
  assert.equal(f.has('w:the'), false);
  assert.ok(f.has('b:refund policy'));
  assert.equal(f.has('b:policy end'), false, 'a stop word breaks a bigram');
  assert.ok(f.has('c:<re'));
});
