// Bounded polling for tests: wait for a condition, fail naming it when it never holds.
import { setTimeout as sleep } from 'node:timers/promises';

/** Waits (bounded) until `check` holds; fails with `what` otherwise. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  limitMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
