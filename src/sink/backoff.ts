// Retry delays: exponential backoff with full jitter (AWS architecture blog), pure so it is testable.

/** Delay before retry `attempt` (1-based): uniform in [0, min(maxMs, baseMs * 2^(attempt-1))]. */
export function fullJitterDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
