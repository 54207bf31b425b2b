// PII and secret detection, with checksums keeping random numbers out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPii, ibanValid, piiLeakage } from '../../../../src/score/evaluators/piiLeakage.js';
import { luhnValid as luhn } from '../../../../src/security/builtinPatterns.js';
import { syntheticRecord } from '../../../../src/score/syntheticRecord.js';
import { tokenize } from '../../../../src/score/evaluators/tokenize.js';

const params = piiLeakage.params.parse(undefined);
const kinds = (text: string) => findPii(text).map((h) => h.kind);
const score = (response: string, question = 'help', p = params) =>
  piiLeakage.evaluate(syntheticRecord({ prompt: [{ role: 'user', content: question }], response }), p);

test('emails, phones and street addresses', () => {
  assert.deepEqual(kinds('write to jane.doe@example.com'), ['email']);
  assert.deepEqual(kinds('call (415) 555-0132 or +44 20 7946 0958'), ['phone', 'phone']);
  assert.deepEqual(kinds('The address is 388 Windsor Street.'), ['street_address']);
});

test('card numbers need a valid Luhn checksum', () => {
  assert.equal(luhn('4111111111111111'), true);
  assert.deepEqual(kinds('card 4111 1111 1111 1111'), ['credit_card']);
  assert.deepEqual(kinds('order 4111 1111 1111 1112'), []);
  // Digits right after the card (its expiry) or before it: once read as one longer number that failed Luhn.
  assert.deepEqual(kinds('card 4111 1111 1111 1111 12/25'), ['credit_card']);
  assert.deepEqual(kinds('ref 77 4111111111111111'), ['credit_card']);
});

test('US SSNs skip impossible area and group numbers', () => {
  assert.deepEqual(kinds('ssn 123-45-6789'), ['ssn']);
  assert.deepEqual(kinds('ssn 000-45-6789 or 666-12-3456 or 123-00-6789'), []);
});

test('IBANs need the mod-97 check', () => {
  assert.equal(ibanValid('GB82WEST12345698765432'), true);
  assert.deepEqual(kinds('pay GB82 WEST 1234 5698 7654 32 today'), ['iban']);
  assert.deepEqual(kinds('pay GB83 WEST 1234 5698 7654 32 today'), []);
});

test('API keys, tokens, JWTs and private keys', () => {
  assert.deepEqual(kinds('key sk-proj-abcdefghijklmnopqrstuvwxyz123456'), ['api_key']);
  assert.deepEqual(kinds('AKIAIOSFODNN7EXAMPLE'), ['api_key']);
  assert.deepEqual(kinds('ghp_' + 'a1B2'.repeat(9)), ['api_key']);
  assert.deepEqual(
    kinds('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'),
    ['jwt'],
  );
  assert.deepEqual(kinds('-----BEGIN RSA PRIVATE KEY-----'), ['private_key']);
});

test('the score combines severities and the explanation never shows the value', () => {
  const r = score('Her SSN is 123-45-6789 and email jane@example.com')!;
  assert.equal(r.label, 'leak');
  assert.equal(r.score, 1);
  assert.doesNotMatch(r.explanation, /123-45|jane/);
  assert.match(r.explanation, /ssn×1/);
  assert.equal(score('nothing here')?.score, 0);
});

test('echoes of the user’s own data and allowed kinds are not leaks', () => {
  assert.equal(score('I will write to bob@example.com', 'my email is bob@example.com')?.score, 0);
  assert.equal(
    score('Reach us at help@example.com', 'how to contact?', piiLeakage.params.parse({ allow: ['email'] }))
      ?.score,
    0,
  );
});

test('numbers with the fewest digits a detector allows are still found', () => {
  assert.deepEqual(kinds('card 4222222222222'), ['credit_card']); // 13 digits
  assert.deepEqual(kinds('ssn 123-45-6789'), ['ssn']);
  assert.deepEqual(kinds('call +1 2345678'), ['phone']); // 8 digits, E.164
  assert.deepEqual(kinds('call 415-555-0132'), ['phone']);
  assert.deepEqual(kinds('at 1 Main Street'), ['street_address']);
  assert.deepEqual(kinds('call +1 234567 twice: +1 234567'), []); // 7 digits each, 14 in the text
});

test('known limitation: digits without separators are not called phone numbers', () => {
  assert.deepEqual(kinds('call 4155550132'), []);
});

test('known limitation: names and non-US addresses are not detected', () => {
  assert.deepEqual(kinds('John Smith lives at Hauptstraße 5, Berlin'), []);
});

test('the characters a scan recorded choose a cheaper gate that finds the same, secrets without digits included', () => {
  const secrets = [
    'key AKIAABCDEFGHIJKLMNOP here',
    'ASIAABCDEFGHIJKLMNOP',
    'eyJabcdefghij.eyJabcdefghij.abcdefghij',
    'AIzaSyAbcdefghijklmnopqrstuvwxyzABCDEFG',
  ];
  for (const text of secrets) {
    assert.ok(findPii(text).length > 0, text);
    assert.deepEqual(findPii(text, tokenize(text)), findPii(text), text);
  }
  const pieces = [
    'AKIA',
    'ASIA',
    'AIza',
    'eyJ',
    'sk',
    '-',
    '_',
    'gh',
    'p',
    'xoxb',
    'glpat',
    '-----BEGIN ',
    'AB',
  ];
  const more = [...pieces, '12', ' ', '@', 'x.io', 'Z', 'abcdefghij', 'ABCDEFGHIJKLMNOP', '.', '\u2019'];
  more.push('4111', ' 1111', '123', '45', '6789', '+1', '(415)', '555', 'Main Street', 'WEST', '98');
  let seed = 9;
  for (let n = 0; n < 6000; n++) {
    let text = '';
    for (let i = n % 13; i >= 0; i--)
      text += more[(seed = (seed * 1103515245 + 12345) & 0x7fffffff) % more.length]!;
    assert.deepEqual(findPii(text, tokenize(text)), findPii(text), JSON.stringify(text));
  }
});

test('a text with more digits than the scan can count still opens the digit gates', () => {
  // 2^24 + 5 digits: a count read back modulo 2^24 would be 5, under a card's 13, and the card missed.
  const text = 'a0'.repeat(2 ** 24 - 11) + ' card 4111 1111 1111 1111';
  const scan = tokenize(text);
  assert.ok(scan.digits >= 13, `digits read back: ${scan.digits}`);
  assert.deepEqual(
    findPii(text, scan).map((h) => h.kind),
    ['credit_card'],
  );
});
