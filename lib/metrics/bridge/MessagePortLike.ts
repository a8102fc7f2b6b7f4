/**
 * The structural channel the bridge talks over: anything with `postMessage` and `message` event
 * listeners. Node `worker_threads` `MessagePort`s (and `parentPort`) and browser `MessagePort`s,
 * `Worker`s and `DedicatedWorkerGlobalScope` (`self`) all fit, without the bridge importing either.
 *
 * ## Example
 * ```ts
 * import { MessageChannel } from 'node:worker_threads'; // or the browser's global MessageChannel
 * const { port1, port2 } = new MessageChannel();
 * const emitter = createPortEmitter(port1);   // MessagePortLike
 * receiveEvents(port2, recorder);              // MessagePortLike
 * ```
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

/** Throws a TypeError naming `param` unless `port` is a {@link MessagePortLike}. @internal */
export function checkPort(param: string, port: unknown): MessagePortLike {
  const p = port as Partial<MessagePortLike> | null;
  if (
    p === null ||
    typeof p !== 'object' ||
    typeof p.postMessage !== 'function' ||
    typeof p.addEventListener !== 'function' ||
    typeof p.removeEventListener !== 'function'
  ) {
    throw new TypeError(
      `Expected \`${param}\` to be a MessagePort-like object (postMessage, addEventListener, removeEventListener)`,
    );
  }
  return port as MessagePortLike;
}
