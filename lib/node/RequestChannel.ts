import type { MessagePort } from 'node:worker_threads';
import { scheduleMacrotask, setRealTimeout } from '../internal/timers.js';
import { HOST_PROTOCOL, type HostRequest, type RecorderRequest } from './protocol.js';

/** Where a request is posted: the worker (control channel) or a recorder's port. @internal */
export interface RequestTarget {
  postMessage(message: unknown, transferList?: readonly MessagePort[]): void;
}

/** How one request is sent. @internal */
export interface RequestOptions {
  /** The request's deadline, in milliseconds. */
  readonly timeoutMs: number;
  /** Names the request in errors (`"flush of recorder 'jobs'"`). */
  readonly operation: string;
  /** A port to transfer with the request. */
  readonly port?: MessagePort;
  /** Groups requests to settle together (a facade's, when it closes). */
  readonly owner?: object;
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly cancel: () => void;
  readonly owner: object | undefined;
}

/** A request that got no response in time. @internal */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';

  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`The metrics worker did not answer the ${operation} within ${timeoutMs} ms`);
  }
}

/**
 * Request/response correlation with the worker: each request gets an id and a deadline; the worker's
 * `response` message with that id settles it. A request that misses its deadline calls `onTimeout`
 * (the runtime declares the worker unresponsive, which settles every request), then, if still pending,
 * rejects with a {@link RequestTimeoutError}. So every request settles. @internal
 */
export class RequestChannel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly onTimeout: (operation: string, timeoutMs: number) => void) {}

  /** Posts `request` and resolves or rejects with the worker's response, or at its deadline. */
  send(
    target: RequestTarget,
    request: HostRequest | RecorderRequest,
    options: RequestOptions,
  ): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const cancel = setRealTimeout(() => {
        // Decide on the next macrotask: a response that arrived while this thread was busy (a long
        // synchronous task on the main thread) is delivered first, so a live worker is not condemned.
        scheduleMacrotask(() => {
          if (!this.pending.has(id)) return;
          this.onTimeout(options.operation, options.timeoutMs);
          this.settle(id, false, undefined, new RequestTimeoutError(options.operation, options.timeoutMs));
        });
      }, options.timeoutMs);
      this.pending.set(id, { resolve, reject, cancel, owner: options.owner });
      const { port } = options;
      const message = { mvx: HOST_PROTOCOL, kind: 'request', id, request, ...(port ? { port } : {}) };
      try {
        target.postMessage(message, port ? [port] : []);
      } catch (error) {
        this.settle(id, false, undefined, error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Settles the request `id` (unknown ids are ignored). */
  settle(id: number, ok: boolean, value: unknown, error: Error | undefined): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    entry.cancel();
    if (ok) entry.resolve(value);
    else entry.reject(error ?? new Error('request failed'));
  }

  /** Rejects the requests of `owner` (or every request, without one) with `error`. */
  rejectAll(error: Error, owner?: object): void {
    for (const [id, entry] of [...this.pending]) {
      if (owner === undefined || entry.owner === owner) this.settle(id, false, undefined, error);
    }
  }
}
