/**
 * Waiting in real time, for specs that cannot use virtual time (ports, workers, Promises): one turn of
 * the event loop, a pause, and polling for a condition. Never assert how long something takes with
 * these: poll for the condition with a generous bound instead.
 */

/**
 * One turn of the event loop: resolves after the queued microtasks and one macrotask (`setImmediate`,
 * the check phase) have run. Enough for the recorder's drain and the streams it feeds.
 */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Resolves after `ms` milliseconds (a timer). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `condition` (every few milliseconds) until it holds; rejects naming `what` after `timeoutMs`.
 * Generous defaults: the machine may be busy.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  {
    timeoutMs = 15_000,
    what = 'the condition',
  }: { readonly timeoutMs?: number; readonly what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}
