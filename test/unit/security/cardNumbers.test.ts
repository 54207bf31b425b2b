// cardNumbersIn against its definition, written the slow way: for each group of digits from the left, the
// longest run of whole groups holding 13-19 digits that pass Luhn (and the issuer test) is a card.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cardNumbersIn, luhnValid } from '../../../src/security/builtinPatterns.js';

function definition(run: string, issuer: (digit: number) => boolean): [number, number][] {
  const groups = [...run.matchAll(/\d+/g)].map((m) => [m.index, m.index + m[0].length] as const);
  const found: [number, number][] = [];
  for (let g = 0; g < groups.length;) {
    let last = -1;
    for (let h = g; h < groups.length; h++) {
      const digits = run.slice(groups[g]![0], groups[h]![1]).replace(/\D/g, '');
      if (digits.length > 19) break;
      if (digits.length >= 13 && issuer(Number(digits[0])) && luhnValid(digits)) last = h;
    }
    if (last === -1) g++;
    else {
      found.push([groups[g]![0], groups[last]![1]]);
      g = last + 1;
    }
  }
  return found;
}

test('cardNumbersIn finds exactly the cards the definition does, in 20,000 seeded random runs', () => {
  let seed = 7;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  let cards = 0;
  for (let t = 0; t < 20_000; t++) {
    let run = '';
    const groups = 1 + Math.floor(rand() * 8);
    for (let g = 0; g < groups; g++) {
      if (g > 0) run += rand() < 0.5 ? ' ' : '-';
      const length = 1 + Math.floor(rand() * 9);
      for (let k = 0; k < length; k++) run += String(Math.floor(rand() * 10));
    }
    const issuer = rand() < 0.5 ? () => true : (digit: number) => digit >= 2 && digit <= 6;
    const want = definition(run, issuer);
    assert.deepEqual(cardNumbersIn(run, issuer), want, run);
    cards += want.length;
  }
  assert.ok(cards > 1000, `the runs hold cards to find (${cards})`);
});
