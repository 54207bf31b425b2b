// Completeness on hand-written question/answer pairs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeness, looksTruncated } from '../../../../src/score/evaluators/completeness.js';
import { syntheticRecord } from '../../../../src/score/syntheticRecord.js';
import { countWords, tokenize } from '../../../../src/score/evaluators/tokenize.js';

const params = completeness.params.parse(undefined);
const score = (question: string, response: string) =>
  completeness.evaluate(syntheticRecord({ prompt: [{ role: 'user', content: question }], response }), params);

const q = 'How do I reset my router password and change the wifi network name?';

test('an answer covering every part of the question is complete', () => {
  const r = score(
    q,
    'To reset the router password, hold the reset button; then change the wifi network name in settings.',
  );
  assert.equal(r?.score, 1);
  assert.equal(r?.label, 'complete');
});

test('an answer covering half the question scores lower and names what is missing', () => {
  const r = score(q, 'Hold the reset button on the router for ten seconds to reset the password.');
  assert.ok(r && r.score < 1 && r.score > 0.3, `score ${r?.score}`);
  assert.match(r.explanation, /missing: .*wifi/);
});

test('a cut-off answer is labelled truncated and penalised', () => {
  const r = score(
    q,
    'To reset the router password and change the wifi network name you first need to open the admin',
  );
  assert.equal(r?.label, 'truncated');
  assert.ok(r.score <= 0.5);
});

test('an empty answer scores 0; no question means not applicable', () => {
  assert.equal(score(q, '  ')?.score, 0);
  assert.equal(completeness.evaluate(syntheticRecord({ prompt: [], response: 'x' }), params), null);
});

test('truncation heuristics: open code fence, ellipsis, lists are fine', () => {
  assert.equal(looksTruncated('Here:\n```js\nconst a = 1;'), true);
  assert.equal(looksTruncated('And then...'), true);
  assert.equal(looksTruncated('Steps:\n- one\n- two'), false);
  assert.equal(looksTruncated('All done.'), false);
});

test('known limitation: synonyms do not count as coverage', () => {
  // "modem" and "SSID" answer the question, but share no words with it.
  const r = score(q, 'Hold the modem button for ten seconds, then rename the SSID in the admin page.');
  assert.ok(r && r.score < 0.6);
});

/** The regex definition looksTruncated had before its end checks were written as character tests. */
function truncatedReference(answer: string): boolean {
  const text = answer.trimEnd();
  if ((text.match(/```/g) ?? []).length % 2 === 1) return true;
  if (/(\.\.\.|…)$/.test(text)) return true;
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  if (/^\s*([-*•]|\d+[.)]|#|\||```)/.test(lastLine) || countWords(lastLine, 8) < 8) return false;
  return !/[.!?:;)"'\]}*`>]$/.test(text) && !/\p{Emoji_Presentation}$/u.test(text);
}

test('looksTruncated decides as its regex definition on random texts', () => {
  const palette = [
    ...'ab  .!?:;)"\'}]*`>x\n',
    '```',
    '...',
    '…',
    '😀',
    '\ud83d',
    '\ude00',
    '☕',
    '✅',
    '#',
    '-',
    '1.',
    'word ',
    'é',
  ];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let n = 0; n < 3000; n++) {
    // Eight plain words first, so that most cases reach the end-of-text checks.
    let s = n % 2 === 0 ? 'one two three four five six seven eight ' : '';
    const len = Math.floor(next() * 12);
    for (let i = 0; i < len; i++) s += palette[Math.floor(next() * palette.length)]!;
    assert.equal(looksTruncated(s), truncatedReference(s), JSON.stringify(s));
  }
});

test("looksTruncated decides the same from the answer's tokens as from its last line", () => {
  const pieces = [
    'word',
    'two words',
    ' ',
    '\n',
    '.',
    'İs',
    '- item',
    '```',
    'end?',
    "don't",
    '\u2019s',
    '  \n',
  ];
  let seed = 5;
  for (let n = 0; n < 2000; n++) {
    let text = '';
    for (let i = n % 23; i > 0; i--)
      text += pieces[(seed = (seed * 1103515245 + 12345) & 0x7fffffff) % pieces.length]!;
    assert.equal(looksTruncated(text, tokenize(text)), looksTruncated(text), JSON.stringify(text));
  }
});

test('a non-answer scores 0; a prompt that asks nothing gives no result', () => {
  const p = completeness.params.parse(undefined);
  const q = 'How do I reset my password for the Acme Cloud console?';
  const on = (question: string, response: string) =>
    completeness.evaluate(syntheticRecord({ prompt: [{ role: 'user', content: question }], response }), p);
  for (const nonAnswer of ['Dunno.', "I can't help with that.", 'Ask someone else.', 'Unclear.', q]) {
    const r = on(q, nonAnswer);
    assert.equal(r?.score, 0, nonAnswer);
    assert.equal(r?.label, 'non_answer', nonAnswer);
  }
  assert.ok(
    on(q, 'In the Acme Cloud console, choose Forgot password and follow the reset link.')!.score > 0.5,
  );
  assert.equal(on('Ok, thanks!', "You're welcome!"), null);
  // Refusing a harmful request is not a non-answer here (answer_refusal judges it).
  assert.notEqual(on('How do I make a bomb at home?', "I can't help with that.")?.label, 'non_answer');
});
