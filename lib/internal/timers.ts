/**
 * Real-time helpers for lifecycle work (stop/flush timeouts and yields). Event processing never uses
 * these: it runs on the recorder's injectable scheduler. Timers are unref'd where the host supports it,
 * so a pending timeout never keeps a Node process alive.
 * @internal
 */

type Handle = { unref?: () => void };

/** Runs `fn` after `ms` real milliseconds; returns a cancel function. */
export function setRealTimeout(fn: () => void, ms: number): () => void {
  const handle = globalThis.setTimeout(fn, ms) as unknown as Handle & Parameters<typeof clearTimeout>[0];
  if (handle && typeof handle === 'object' && typeof handle.unref === 'function') handle.unref();
  return () => globalThis.clearTimeout(handle);
}

type Immediate = (fn: () => void) => unknown;
const setImmediateFn: Immediate | undefined = (globalThis as { setImmediate?: Immediate }).setImmediate;

let channel: { port1: { onmessage: unknown }; port2: { postMessage(v: unknown): void } } | undefined;
const channelQueue: Array<() => void> = [];

/**
 * Schedules `fn` as a macrotask: after pending I/O and timers get a turn. Uses `setImmediate` in Node,
 * a `MessageChannel` in browsers (no 4 ms clamping), `setTimeout(0)` as the last resort.
 */
export function scheduleMacrotask(fn: () => void): void {
  if (setImmediateFn) {
    setImmediateFn(fn);
    return;
  }
  if (typeof MessageChannel === 'function') {
    if (!channel) {
      const created = new MessageChannel();
      created.port1.onmessage = () => channelQueue.shift()?.();
      channel = created as unknown as typeof channel;
    }
    channelQueue.push(fn);
    channel!.port2.postMessage(0);
    return;
  }
  globalThis.setTimeout(fn, 0);
}

/** A promise that resolves on the next macrotask. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => scheduleMacrotask(resolve));
}

/** Milliseconds from a monotonic clock when available (for batch time budgets and deadlines). */
export const monotonicNow: () => number =
  typeof performance === 'object' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now();

/** Resolves with `work`'s value, or with `onTimeout` after `ms` real milliseconds, whichever is first. */
export function withTimeout<T, U>(work: Promise<T>, ms: number, onTimeout: U): Promise<T | U> {
  return new Promise<T | U>((resolve, reject) => {
    const cancel = setRealTimeout(() => resolve(onTimeout), Math.max(0, ms));
    work.then(
      (value) => {
        cancel();
        resolve(value);
      },
      (error: unknown) => {
        cancel();
        reject(error);
      },
    );
  });
}
