// Train/hold-out split by prompt: a pure function of the prompt hash, the same on every run and machine.
import { createHash } from 'node:crypto';

/** Buckets per split decision: a fraction is honoured to 1/1000. */
const BUCKETS = 1000;

/** The prompt's bucket in [0, 1000): the first 32 bits of sha256(promptHash) mod 1000. */
export function holdoutBucket(promptHash: string): number {
  return createHash('sha256').update(promptHash).digest().readUInt32BE(0) % BUCKETS;
}

/** True when every example of this prompt goes to the hold-out file. */
export function isHoldout(promptHash: string, fraction: number): boolean {
  return holdoutBucket(promptHash) < Math.round(fraction * BUCKETS);
}

/** Checks a hold-out fraction; the message names the option. */
export function checkHoldout(fraction: number): void {
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1)
    throw new Error(`holdout must be a fraction between 0 and 1 (e.g. 0.1 for 10%), got ${fraction}`);
}
