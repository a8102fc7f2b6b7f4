import { typeError } from '../../internal/validate.js';

/**
 * The structural channel the bridge talks over: anything with `postMessage` and `message` event
 * listeners. Node `worker_threads` `MessagePort`s (and `parentPort`) and browser `MessagePort`s,
 * `Worker`s and `DedicatedWorkerGlobalScope` (`self`) all fit, without the bridge importing either.
 */
export interface MessagePortLike {
  /** Sends a structured-clone friendly value to the other side. */
  postMessage(message: unknown): void;
  /** Registers a `message` listener; the value is the event's `data`. */
  addEventListener(type: 'message', listener: (event: unknown) => void): void;
  /** Removes a listener registered with `addEventListener`. */
  removeEventListener(type: 'message', listener: (event: unknown) => void): void;
  /** Browser ports need `start()` once a listener is added with `addEventListener`. */
  start?(): void;
}

/**
 * Listens to `message` events on `port` and calls `handler` with each message's `data` (`undefined`
 * when the event cannot be read). Returns the function that removes the listener.
 * @internal
 */
export function listen(port: MessagePortLike, handler: (data: unknown) => void): () => void {
  const listener = (event: unknown): void => {
    let data: unknown;
    try {
      data = event !== null && typeof event === 'object' ? (event as { data?: unknown }).data : undefined;
    } catch {
      data = undefined; // an unreadable event (a throwing getter, a revoked proxy) carries nothing
    }
    handler(data);
  };
  port.addEventListener('message', listener);
  port.start?.();
  return () => port.removeEventListener('message', listener);
}

/**
 * Throws a TypeError naming `param` unless `port` is a {@link MessagePortLike} (a throwing getter or Proxy
 * trap is reported the same way, with the thrown error as `cause`). @internal
 */
export function checkPort(param: string, port: unknown): MessagePortLike {
  const expected = 'a MessagePort-like object (postMessage, addEventListener, removeEventListener)';
  if (port === null || typeof port !== 'object') throw typeError(param, expected, port);
  const p = port as Partial<MessagePortLike>;
  let fits: boolean;
  try {
    fits =
      typeof p.postMessage === 'function' &&
      typeof p.addEventListener === 'function' &&
      typeof p.removeEventListener === 'function';
  } catch (cause) {
    throw new TypeError(`Reading the methods of \`${param}\` threw`, { cause });
  }
  if (!fits) throw typeError(param, expected, port);
  return port as MessagePortLike;
}
