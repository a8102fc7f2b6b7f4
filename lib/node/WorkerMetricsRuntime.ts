import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { Subject, type Observable } from 'rxjs';
import { withTimeout } from '../internal/timers.js';
import type { MetricEvent } from '../metrics/event.js';
import { RuntimeInvalidStateError, RuntimeShutdownError } from '../metrics/errors/runtimeErrors.js';
import { loggedRuntime } from '../metrics/runtime/runtimeLogging.js';
import { normalizeRecorderId } from '../metrics/runtime/runtimeOptions.js';
import { RuntimeBase, type RecorderKind } from '../metrics/runtime/RuntimeBase.js';
import { WorkerCrashedError } from './errors.js';
import { launchWorker } from './launchWorker.js';
import type { HostRequest, WorkerRecorderOptions } from './protocol.js';
import { RemoteRecorderImpl, type HostedRemoteRecorder, type RemoteRecorder } from './RemoteRecorder.js';
import { RequestChannel } from './RequestChannel.js';
import { readWorkerRecorderOptions } from './workerRecorderOptions.js';
import {
  resolveWorkerRuntimeOptions,
  type ResolvedWorkerRuntimeOptions,
  type WorkerRuntimeOptions,
} from './workerRuntimeOptions.js';

/** {@link WorkerMetricsRuntime} hands out `RemoteRecorder` facades. */
export interface RemoteRecorderKind extends RecorderKind {
  /** The facade type for `this['event']`. */
  readonly recorder: RemoteRecorder<this['event']>;
}

/**
 * A runtime whose recorders live in a worker thread: heavy aggregation never runs on the main event
 * loop. The main thread gets {@link RemoteRecorder} facades whose `emit` batches to the worker and whose
 * snapshots mirror back. Same states and operations as `MetricsRuntime`; a crashed worker moves the
 * runtime to `failure` and is reported on `errors$` (`WorkerCrashedError`, with the events lost per
 * recorder); `shutdown()` still releases everything.
 *
 * `stopRecorder` flushes the facade, then stops the hosted recorder (it stays registered);
 * `stopAndRemoveRecorder` flushes the facade, stops and removes the hosted recorder, closes and returns
 * the facade. `shutdown()` flushes every facade, shuts the hosted runtime down (stopping every recorder)
 * and terminates the worker.
 *
 * ## Example
 * ```ts
 * import { WorkerMetricsRuntime } from 'mvx-common/node';
 *
 * const runtime = new WorkerMetricsRuntime({ namespace: 'jobs', metricsModule: new URL('./job-metrics.js', import.meta.url) });
 * await runtime.start();
 * const jobs = await runtime.createRecorder('jobs');
 * jobs.emit({ type: 'job.done', outcome: 'success' });
 * await jobs.flush();
 * console.log(jobs.getMetricSnapshots());
 * await runtime.shutdown();
 * ```
 */
export class WorkerMetricsRuntime extends RuntimeBase<RemoteRecorderKind, HostedRemoteRecorder> {
  /** Worker crashes (hot). */
  readonly errors$: Observable<Error>;

  private readonly options: ResolvedWorkerRuntimeOptions;
  private readonly errors = new Subject<Error>();
  private readonly requests = new RequestChannel();
  private worker: Worker | undefined;

  /** @param options - see {@link WorkerRuntimeOptions}; a bad option throws a TypeError/RangeError naming it. */
  constructor(options: WorkerRuntimeOptions) {
    const resolved = resolveWorkerRuntimeOptions(options);
    super(resolved.config.namespace, resolved.logContext);
    this.options = resolved;
    this.errors$ = this.errors.asObservable();
  }

  /**
   * Creates a recorder in the worker (with the module's metrics registered) and returns its facade.
   * Rejects with a TypeError/RangeError naming a bad option (an unknown key included).
   */
  @loggedRuntime.createRecorder
  async createRecorder<E extends MetricEvent = MetricEvent>(
    recorderId: string,
    options: WorkerRecorderOptions = {},
  ): Promise<RemoteRecorder<E>> {
    const id = normalizeRecorderId(recorderId);
    const checked = readWorkerRecorderOptions('options', options, true);
    this.requireRunning('create a recorder');
    const { port1, port2 } = new MessageChannel();
    try {
      const value = (await this.request({ op: 'create', recorderId: id, options: checked }, port2)) as {
        entityId: string;
        namespace: string;
      };
      const facade = new RemoteRecorderImpl<E>(
        id,
        value.entityId,
        value.namespace,
        port1,
        this.options.batching,
      );
      this.register(id, facade as unknown as HostedRemoteRecorder);
      return facade;
    } catch (error) {
      port1.close();
      throw error;
    }
  }

  // ---------------------------------------------------------------- hooks

  /** Launches the worker and waits until it has loaded the metrics module. A failed start terminates it. */
  protected override async startHost(): Promise<void> {
    this.worker = await launchWorker(this.options, {
      onResponse: (id, ok, value, error) => this.requests.settle(id, ok, value, error),
      onGone: (exitCode, cause) => this.crashed(exitCode, cause),
    });
  }

  protected override async stopHosted(recorderId: string, facade: HostedRemoteRecorder): Promise<void> {
    await facade.flush();
    await this.request({ op: 'stop', recorderId });
  }

  protected override async removeHosted(recorderId: string, facade: HostedRemoteRecorder): Promise<void> {
    await facade.flush();
    await this.request({ op: 'stopAndRemove', recorderId });
  }

  protected override releaseHosted(facade: HostedRemoteRecorder): void {
    facade.close();
  }

  protected override async stopAll(
    entries: ReadonlyArray<readonly [string, HostedRemoteRecorder]>,
    wasRunning: boolean,
  ): Promise<void> {
    if (!wasRunning || !this.worker) return;
    const ids = entries.map(([id]) => id);
    const budget = this.options.config.shutdownTimeoutMs;
    const TIMEOUT = Symbol('timeout');
    const work = Promise.all(entries.map(([, f]) => f.flush())).then(() => this.request({ op: 'shutdown' }));
    const outcome = await withTimeout(work, budget + 1_000, TIMEOUT);
    if (outcome === TIMEOUT) {
      work.catch(() => undefined);
      const errors = Object.fromEntries(
        ids.map((id) => [id, { name: 'RecorderStopError', message: 'the worker did not shut down in time' }]),
      );
      throw new RuntimeShutdownError(ids, errors);
    }
  }

  protected override async releaseHost(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.requests.rejectAll(new RuntimeInvalidStateError('closed', ['running'], 'complete the request'));
    if (worker) await worker.terminate().catch(() => undefined);
  }

  protected override onClosed(): void {
    this.errors.complete();
  }

  // ---------------------------------------------------------------- internals

  private request(request: HostRequest, port?: MessagePort): Promise<unknown> {
    const worker = this.worker;
    if (!worker) return Promise.reject(this.invalid(['running'], 'send a request'));
    return this.requests.send(worker, request, port);
  }

  private crashed(exitCode: number | undefined, cause: unknown): void {
    const status = this.getStatus();
    if (status !== 'running' || !this.worker) return;
    this.worker = undefined;
    const lost: Record<string, number> = {};
    for (const [id, facade] of this.recorders) {
      lost[id] = facade.lostEvents();
      facade.close(); // later emits are dropped and counted; mirrored snapshots stay readable
    }
    const error = new WorkerCrashedError(
      exitCode,
      Object.freeze(lost),
      cause === undefined ? undefined : { cause },
    );
    this.requests.rejectAll(error);
    this.setState('failure');
    this.errors.next(error);
  }
}
