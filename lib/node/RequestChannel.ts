import type { MessagePort, Worker } from 'node:worker_threads';
import { HOST_PROTOCOL, type HostRequest } from './protocol.js';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * Request/response correlation over the worker's control channel: each request gets an id, the
 * worker's `response` message with that id settles it. @internal
 */
export class RequestChannel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  /** Posts `request` (transferring `port`, if any) and resolves or rejects with the worker's response. */
  send(worker: Worker, request: HostRequest, port?: MessagePort): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const message = { mvx: HOST_PROTOCOL, kind: 'request', id, request, ...(port ? { port } : {}) };
      try {
        worker.postMessage(message, port ? [port] : []);
      } catch (error) {
        this.pending.delete(id);
        reject(error as Error);
      }
    });
  }

  /** Settles the request `id` (unknown ids are ignored). */
  settle(id: number, ok: boolean, value: unknown, error: Error | undefined): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    if (ok) entry.resolve(value);
    else entry.reject(error ?? new Error('request failed'));
  }

  /** Rejects every request in flight with `error` (worker gone). */
  rejectAll(error: Error): void {
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }
}
