// Prompt identity: the hash is exactly sha256 of JSON [[role, content]] with the documented normalisation.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { normalizeMessage, promptHash } from '../../../src/normalize/promptIdentity.js';
import type { ChatMessage } from '../../../src/records/types.js';

/** The definition, spelled out the slow way: stored hashes must never change with an optimisation. */
function definition(messages: readonly ChatMessage[]): string {
  const pairs = messages.map((m) => [m.role.trim().toLowerCase(), m.content.replace(/\s+/g, ' ').trim()]);
  return createHash('sha256').update(JSON.stringify(pairs)).digest('hex');
}

test('known answer: the hash of one user message is fixed', () => {
  const messages = [{ role: ' User ', content: '  What is\t2+2?\n' }];
  // sha256('[["user","What is 2+2?"]]'), the value every earlier prefloop version stored.
  assert.equal(promptHash(messages), '1c2da8a2ed7b5c3445a5a06c285a97f9c9f86a170456949d645810afb1b78f75');
});

test('seeded random whitespace (including Unicode spaces and line separators) hashes as the definition does', () => {
  const pieces = [
    ' ',
    '  ',
    '\n',
    '\r\n',
    '\t',
    '\u00a0',
    '\u2028',
    '\ufeff',
    '\u3000',
    'a',
    'B',
    'é',
    '😀',
    '"',
    '\\',
  ];
  let seed = 42;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  for (let i = 0; i < 3_000; i++) {
    const messages = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
      role: [' User', 'assistant ', 'SYSTEM', ''][Math.floor(rand() * 4)]!,
      content: Array.from(
        { length: Math.floor(rand() * 14) },
        () => pieces[Math.floor(rand() * pieces.length)],
      ).join(''),
    }));
    assert.equal(promptHash(messages), definition(messages), JSON.stringify(messages));
  }
});

test('normalizeMessage collapses runs and trims, and leaves single spaces alone', () => {
  assert.deepEqual(normalizeMessage({ role: ' Assistant', content: ' a  b\n\nc\u00a0d ' }), {
    role: 'assistant',
    content: 'a b c d',
  });
  assert.equal(normalizeMessage({ role: 'user', content: 'a b c' }).content, 'a b c');
});
