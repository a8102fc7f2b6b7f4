import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { BehaviorSubject, distinctUntilChanged, Subject, type Observable } from 'rxjs';
import { withTimeout } from '../internal/timers.js';
import { checkPlainObject, typeError } from '../internal/validate.js';
import type { LogContext } from '../logger/LogContext.js';
import type { MetricEvent } from '../metrics/event.js';
import {
  RecorderNotFoundError,
  RuntimeInvalidStateError,
  RuntimeShutdownError,
} from '../metrics/errors/runtimeErrors.js';
import { resolveRecorderOptions } from '../metrics/recorder/recorderOptions.js';
import { loggedRuntime } from '../metrics/runtime/runtimeLogging.js';
import { normalizeRecorderId } from '../metrics/runtime/runtimeOptions.js';
import { SnapshotHub } from '../metrics/runtime/SnapshotHub.js';
import type { RuntimeSnapshots, RuntimeState } from '../metrics/runtime/types.js';
import { WorkerCrashedError } from './errors.js';
import { launchWorker } from './launchWorker.js';
import type { HostRequest, WorkerRecorderOptions } from './protocol.js';
import { RemoteRecorderImpl, type RemoteRecorder } from './RemoteRecorder.js';
import { RequestChannel } from './RequestChannel.js';
import {
  resolveWorkerRuntimeOptions,
  type ResolvedWorkerRuntimeOptions,
  type WorkerRuntimeOptions,
} from './workerRuntimeOptions.js';

/**
 * A runtime whose recorders live in a worker thread: heavy aggregation never runs on the main event
 * loop. The main thread gets {@link RemoteRecorder} facades whose `emit` batches to the worker and whose
 * snapshots mirror back. Same states and operations as `MetricsRuntime`; a crashed worker moves the
 * runtime to `failure` and is reported on `errors$` (`WorkerCrashedError`, with the events lost per
 * recorder); `shutdown()` still releases everything.
 *
 * ## Example
 * ```ts
 * import { WorkerMetricsRuntime } from 'mvx-common/node';
 *
 * const runtime = new WorkerMetricsRuntime({ namespace: 'jobs', metricsModule: require.resolve('./job-metrics') });
 * await runtime.start();
 * const jobs = await runtime.createRecorder('jobs');
 * jobs.emit({ type: 'job.done', outcome: 'success' });
 * await jobs.flush();
 * console.log(jobs.getMetricSnapshots());
 * await runtime.shutdown();
 * ```
 */
export class WorkerMetricsRuntime {
  readonly namespace: string;
  readonly entityId: string;
  readonly state$: Observable<RuntimeState>;
  /** Worker crashes (hot). */
  readonly errors$: Observable<Error>;
  /** Every facade's mirrored snapshots keyed by recorder id, coalesced; completes once closed. */
  readonly snapshots$: Observable<RuntimeSnapshots>;

  private readonly options: ResolvedWorkerRuntimeOptions;
  private readonly state = new BehaviorSubject<RuntimeState>('virgin');
  private readonly errors = new Subject<Error>();
  private readonly recorders = new Map<string, RemoteRecorderImpl>();
  private readonly removing = new Set<string>();
  private readonly requests = new RequestChannel();
  private readonly hub = new SnapshotHub();
  private worker: Worker | undefined;
  private startOp: Promise<void> | undefined;
  private shutdownOp: Promise<void> | undefined;

  /** @param options - see {@link WorkerRuntimeOptions}; a bad option throws a TypeError/RangeError naming it. */
  constructor(options: WorkerRuntimeOptions) {
    this.options = resolveWorkerRuntimeOptions(options);
    this.namespace = this.options.config.namespace;
    this.entityId = this.namespace;
    this.state$ = this.state.pipe(distinctUntilChanged());
    this.errors$ = this.errors.asObservable();
    this.snapshots$ = this.hub.snapshots$;
  }

  /** The log context of the main-thread operations, or null (no logging). */
  getLogContext(): LogContext | null {
    return this.options.logContext;
  }

  /** The current lifecycle state. */
  getStatus(): RuntimeState {
    return this.state.getValue();
  }

  /** Starts the worker and waits until it has loaded the metrics module. A failed start terminates it. */
  @loggedRuntime.start
  start(): Promise<void> {
    const status = this.getStatus();
    if (status === 'running') return Promise.resolve();
    if (status === 'starting' && this.startOp) return this.startOp;
    if (status !== 'virgin') return Promise.reject(this.invalid(['virgin', 'running'], 'start'));
    this.state.next('starting');
    this.startOp = this.runStart().finally(() => (this.startOp = undefined));
    return this.startOp;
  }

  /**
   * Flushes every facade, shuts the hosted runtime down (stopping every recorder), terminates the worker
   * and ends `closed`, from any state. Rejects with `RuntimeShutdownError` when a recorder failed to stop.
   */
  @loggedRuntime.shutdown
  shutdown(): Promise<void> {
    const status = this.getStatus();
    if (status === 'closed') return Promise.resolve();
    if (status === 'stopping' && this.shutdownOp) return this.shutdownOp.catch(() => undefined);
    this.shutdownOp = this.runShutdown();
    return this.shutdownOp;
  }

  /** Creates a recorder in the worker (with the module's metrics registered) and returns its facade. */
  @loggedRuntime.createRecorder
  async createRecorder<E extends MetricEvent = MetricEvent>(
    recorderId: string,
    options: WorkerRecorderOptions = {},
  ): Promise<RemoteRecorder<E>> {
    const id = normalizeRecorderId(recorderId);
    checkPlainObject('options', options);
    const { entityId, ...recorderOptions } = options;
    if (entityId !== undefined && typeof entityId !== 'string')
      throw typeError('options.entityId', 'a string', entityId);
    resolveRecorderOptions(recorderOptions);
    this.requireRunning('create a recorder');
    const { port1, port2 } = new MessageChannel();
    try {
      const value = (await this.request({ op: 'create', recorderId: id, options }, port2)) as {
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
      this.recorders.set(id, facade as unknown as RemoteRecorderImpl);
      this.hub.add(id, facade.snapshots$);
      return facade;
    } catch (error) {
      port1.close();
      throw error;
    }
  }

  /** The facade registered under `recorderId` (trimmed); throws `RecorderNotFoundError` when absent. */
  @loggedRuntime.getRecorder
  getRecorder<E extends MetricEvent = MetricEvent>(recorderId: string): RemoteRecorder<E> {
    const id = normalizeRecorderId(recorderId);
    const found = this.lookup<E>(id);
    if (!found) throw new RecorderNotFoundError(id);
    return found;
  }

  /** The facade registered under `recorderId` (trimmed), or undefined. */
  @loggedRuntime.tryGetRecorder
  tryGetRecorder<E extends MetricEvent = MetricEvent>(recorderId: string): RemoteRecorder<E> | undefined {
    return this.lookup<E>(normalizeRecorderId(recorderId));
  }

  /** Registered recorder ids, in creation order. */

  @loggedRuntime.listRecorderIds
  listRecorderIds(): readonly string[] {
    this.requireRunning('list recorder ids');
    return Object.freeze([...this.recorders.keys()]);
  }

  /** Flushes the facade, then stops the hosted recorder (it stays registered). */
  @loggedRuntime.stopRecorder
  async stopRecorder(recorderId: string): Promise<void> {
    const id = normalizeRecorderId(recorderId);
    this.requireRunning('stop a recorder');
    const facade = this.recorders.get(id);
    if (!facade || this.removing.has(id)) throw new RecorderNotFoundError(id);
    await facade.flush();
    await this.request({ op: 'stop', recorderId: id });
  }

  /** Flushes the facade, stops and removes the hosted recorder, closes and returns the facade. */
  @loggedRuntime.stopAndRemoveRecorder
  async stopAndRemoveRecorder<E extends MetricEvent = MetricEvent>(
    recorderId: string,
  ): Promise<RemoteRecorder<E>> {
    const id = normalizeRecorderId(recorderId);
    this.requireRunning('stop and remove a recorder');
    const facade = this.recorders.get(id);
    if (!facade || this.removing.has(id)) throw new RecorderNotFoundError(id);
    this.removing.add(id);
    try {
      await facade.flush();
      await this.request({ op: 'stopAndRemove', recorderId: id });
    } finally {
      this.release(id);
    }
    return facade as unknown as RemoteRecorder<E>;
  }

  // ---------------------------------------------------------------- internals

  private async runStart(): Promise<void> {
    try {
      this.worker = await launchWorker(this.options, {
        onResponse: (id, ok, value, error) => this.requests.settle(id, ok, value, error),
        onGone: (exitCode, cause) => this.crashed(exitCode, cause),
      });
    } catch (error) {
      this.state.next('failure');
      throw error;
    }
    if (this.getStatus() === 'starting') this.state.next('running');
  }

  private async runShutdown(): Promise<void> {
    if (this.getStatus() === 'starting' && this.startOp) await this.startOp.catch(() => undefined);
    const wasRunning = this.getStatus() === 'running';
    this.state.next('stopping');
    const ids = [...this.recorders.keys()];
    try {
      if (wasRunning && this.worker) {
        const budget = this.options.config.shutdownTimeoutMs;
        const TIMEOUT = Symbol('timeout');
        const work = Promise.all([...this.recorders.values()].map((f) => f.flush())).then(() =>
          this.request({ op: 'shutdown' }),
        );
        const outcome = await withTimeout(work, budget + 1_000, TIMEOUT);
        if (outcome === TIMEOUT) {
          work.catch(() => undefined);
          const errors = Object.fromEntries(
            ids.map((id) => [
              id,
              { name: 'RecorderStopError', message: 'the worker did not shut down in time' },
            ]),
          );
          throw new RuntimeShutdownError(ids, errors);
        }
      }
    } finally {
      for (const id of ids) this.release(id);
      const worker = this.worker;
      this.worker = undefined;
      this.requests.rejectAll(new RuntimeInvalidStateError('closed', ['running'], 'complete the request'));
      if (worker) await worker.terminate().catch(() => undefined);
      this.hub.close();
      this.state.next('closed');
      this.errors.complete();
      this.shutdownOp = undefined;
    }
  }

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
    this.state.next('failure');
    this.errors.next(error);
  }

  private release(id: string): void {
    this.recorders.get(id)?.close();
    this.recorders.delete(id);
    this.removing.delete(id);
    this.hub.remove(id);
  }

  private lookup<E extends MetricEvent>(id: string): RemoteRecorder<E> | undefined {
    this.requireRunning('get a recorder');
    return this.recorders.get(id) as unknown as RemoteRecorder<E> | undefined;
  }

  private requireRunning(operation: string): void {
    if (this.getStatus() !== 'running') throw this.invalid(['running'], operation);
  }

  private invalid(expected: readonly RuntimeState[], operation: string): RuntimeInvalidStateError {
    return new RuntimeInvalidStateError(this.getStatus(), expected, operation);
  }
}
