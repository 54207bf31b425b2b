// Export's choice of synthetic pairs: none by default, all when asked, or a share of what is exported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyntheticMix } from '../../../src/export/syntheticMix.js';

test('none by default, all with include, counted either way', () => {
  const none = new SyntheticMix<number>({});
  assert.deepEqual(
    [1, 2].map((r) => none.offer(r)),
    ['skip', 'skip'],
  );
  assert.deepEqual([none.leftOut, none.included], [2, 0]);
  const all = new SyntheticMix<number>({ include: true });
  assert.deepEqual(
    [1, 2].map((r) => all.offer(r)),
    ['write', 'write'],
  );
  assert.deepEqual(all.release(10), []);
  assert.deepEqual([all.leftOut, all.included], [0, 2]);
});

test('a share: held, then at most share × total, the first in export order', () => {
  const mix = new SyntheticMix<number>({ share: 0.2 });
  for (let i = 0; i < 10; i++) assert.equal(mix.offer(i), 'held');
  // 8 production pairs: 2 synthetic make 2 / 10 = 20%.
  assert.deepEqual(mix.release(8), [0, 1]);
  assert.deepEqual([mix.leftOut, mix.included], [8, 2]);
  const few = new SyntheticMix<number>({ share: 0.5 });
  few.offer(1);
  assert.deepEqual(few.release(100), [1], 'fewer held than the share allows: all of them');
  const zero = new SyntheticMix<number>({ share: 0.3 });
  zero.offer(1);
  assert.deepEqual(zero.release(0), [], 'no production pairs: a share of nothing');
  assert.throws(() => new SyntheticMix({ share: 1.5 }), /syntheticShare must be a fraction/);
});
