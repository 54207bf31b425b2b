// The exact (conditional binomial) McNemar test for a change in pass rate on the same prompts. Pure.

export interface McNemarResult {
  /** Prompts the baseline passed and the candidate failed. */
  lost: number;
  /** Prompts the baseline failed and the candidate passed. */
  gained: number;
  /** Two-sided exact p-value: 2 · P(X ≤ min(lost, gained)), X ~ Binomial(lost + gained, 1/2), at most 1. */
  p: number;
}

/**
 * The conventional exact p-value, not the mid-p: for Fagerland, Lydersen & Laake's (2013) example, 1 prompt
 * lost and 7 gained, this gives 0.0703 where the mid-p gives 0.0391. The exact test is conservative, which is
 * what a release gate wants: it never reports a pass-rate change the data cannot show.
 * Only the discordant prompts carry information; under "no change" each is equally likely to go either way.
 * Computed in log space so hundreds of discordant pairs do not underflow.
 */
export function exactMcNemar(lost: number, gained: number): McNemarResult {
  const n = lost + gained;
  if (n === 0) return { lost, gained, p: 1 };
  const k = Math.min(lost, gained);
  let tail = 0;
  let logC = 0; // log C(n, 0)
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return { lost, gained, p: Math.min(1, 2 * tail) };
}
