/**
 * One turn of the event loop: resolves after the queued microtasks and one macrotask (`setImmediate`,
 * the check phase) have run. Enough for the recorder's drain and the streams it feeds; poll with it
 * (`while (...) await tick()`) rather than assume how many turns something takes.
 */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
