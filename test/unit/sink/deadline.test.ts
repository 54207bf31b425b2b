// settlesWithin: a bounded wait that never cancels the work and never leaves its failure unhandled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { settlesWithin } from '../../../src/sink/deadline.js';

test('true when the work settles in time, resolved or rejected', async () => {
  assert.equal(await settlesWithin(Promise.resolve(1), 1_000), true);
  const failing = Promise.reject(new Error('boom'));
  assert.equal(await settlesWithin(failing, 1_000), true);
  await assert.rejects(failing, /boom/);
});

test('false when the time runs out first; a late failure stays handled', async () => {
  const late = sleep(200).then(() => {
    throw new Error('late');
  });
  assert.equal(await settlesWithin(late, 10), false);
  // No unhandled rejection: settlesWithin attached a handler; the caller may still observe it.
  await assert.rejects(late, /late/);
});
