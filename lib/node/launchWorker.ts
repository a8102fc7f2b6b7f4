import { Worker } from 'node:worker_threads';
import { withTimeout } from '../internal/timers.js';
import { WorkerStartupError } from './errors.js';
import { BOOTSTRAP_SOURCE, defaultHostModule } from './hostBootstrap.js';
import { isHostMessage } from './protocol.js';
import type { ResolvedWorkerRuntimeOptions } from './workerRuntimeOptions.js';
import { fromWire } from './wireErrors.js';

/** What the runtime hears from its worker once launched. @internal */
export interface WorkerListeners {
  /** A control-channel response to a request. */
  onResponse(id: number, ok: boolean, value: unknown, error: Error | undefined): void;
  /** The worker errored (`cause`) or exited (`exitCode`). Also called during startup. */
  onGone(exitCode: number | undefined, cause: unknown): void;
}

/**
 * Starts the worker host and waits (within `startTimeoutMs`) until it loaded the metrics module.
 * On failure the worker is terminated and the promise rejects with `WorkerStartupError`.
 * @internal
 */
export async function launchWorker(
  options: ResolvedWorkerRuntimeOptions,
  listeners: WorkerListeners,
): Promise<Worker> {
  let worker: Worker;
  try {
    worker = new Worker(BOOTSTRAP_SOURCE, {
      ...options.workerOptions,
      eval: true,
      workerData: { mvxHost: options.hostModule ?? defaultHostModule(), mvx: options.config },
    });
  } catch (cause) {
    throw new WorkerStartupError('Cannot start the metrics worker', { cause });
  }
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (data: unknown) => {
      if (!isHostMessage(data)) return;
      if (data.kind === 'ready') resolve();
      else if (data.kind === 'startup-failed') reject(fromWire(data.error));
      else if (data.kind === 'response')
        listeners.onResponse(data.id, data.ok, data.value, data.error && fromWire(data.error));
    });
    worker.on('error', (error) => {
      reject(error);
      listeners.onGone(undefined, error);
    });
    worker.on('exit', (code) => {
      reject(new Error(`the worker exited with code ${code}`));
      listeners.onGone(code, undefined);
    });
  });
  const TIMEOUT = Symbol('timeout');
  try {
    const outcome = await withTimeout(ready, options.startTimeoutMs, TIMEOUT);
    if (outcome === TIMEOUT) throw new Error(`the worker was not ready within ${options.startTimeoutMs} ms`);
  } catch (cause) {
    await worker.terminate().catch(() => undefined);
    throw new WorkerStartupError('Cannot start the metrics worker', { cause });
  }
  return worker;
}
