// Waits for work, but not past a deadline: the one way the sink and serve bound a step in time.

/**
 * True when `work` settles within `ms`, false when the time runs out first (the work is not cancelled; its
 * late failure is caught so it never goes unhandled). `keepAlive`: the timer holds the process up (a
 * shutdown that must wait out its grace period); otherwise it does not keep an idle process running.
 */
export async function settlesWithin(work: Promise<unknown>, ms: number, keepAlive = false): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
    if (!keepAlive) timer.unref();
  });
  const settled = work.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
