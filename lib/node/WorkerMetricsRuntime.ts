import { MessageChannel, Worker, type MessagePort, type WorkerOptions } from 'node:worker_threads';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BehaviorSubject, distinctUntilChanged, Subject, type Observable } from 'rxjs';
import { withTimeout } from '../internal/timers.js';
import { checkNonNegativeNumber, checkPlainObject, typeError } from '../internal/validate.js';
import type { PortEmitterOptions } from '../metrics/bridge/PortEmitter.js';
import type { MetricEvent } from '../metrics/event.js';
import {
  RecorderNotFoundError,
  RuntimeInvalidStateError,
  RuntimeShutdownError,
} from '../metrics/errors/runtimeErrors.js';
import { resolveRecorderOptions } from '../metrics/recorder/recorderOptions.js';
import { normalizeRecorderId, resolveRuntimeOptions } from '../metrics/runtime/runtimeOptions.js';
import { SnapshotHub } from '../metrics/runtime/SnapshotHub.js';
import type { RuntimeSnapshots, RuntimeState } from '../metrics/runtime/types.js';
import { WorkerCrashedError, WorkerStartupError } from './errors.js';
import { BOOTSTRAP_SOURCE, defaultHostModule } from './hostBootstrap.js';
import {
  HOST_PROTOCOL,
  isHostMessage,
  type HostConfig,
  type HostRequest,
  type WorkerRecorderOptions,
} from './protocol.js';
import { RemoteRecorderImpl, type RemoteRecorder } from './RemoteRecorder.js';
import { fromWire } from './wireErrors.js';

/** Options of {@link WorkerMetricsRuntime}. */
export interface WorkerRuntimeOptions {
  /** Names the runtime; the default namespace of its recorders. Non-blank. */
  namespace: string;
  /**
   * The module that defines the metrics, loaded *inside the worker*: an absolute path, a path relative
   * to `process.cwd()`, or a `file:` URL. It exports `createMetrics(recorderId)` or `metrics` (see
   * `WorkerMetricsModule`). `.ts`/`.mts`/`.cts` files are loaded with `require` after registering
   * ts-node (transpile-only, with the module's nearest tsconfig) in the worker — whether the library runs
   * from source or from its build, so ts-node must be installed; other files with native `import()`.
   */
  metricsModule: string | URL;
  /** Defaults of every hosted recorder (structured-clone friendly: no scheduler). */
  recorderDefaults?: Omit<WorkerRecorderOptions, 'entityId'>;
  /** @default 10_000 */
  shutdownTimeoutMs?: number;
  /** Bound on the worker booting and loading the metrics module. @default 30_000 */
  startTimeoutMs?: number;
  /** Batching of the main-thread facades' emitters. @default { maxBatchSize: 512, flushIntervalMs: 10 } */
  batching?: Omit<PortEmitterOptions, 'scheduler'>;
  /** Extra `Worker` options (`execArgv`, `resourceLimits`, `env`, ...). `eval` and `workerData` are ours. */
  workerOptions?: Omit<WorkerOptions, 'eval' | 'workerData' | 'transferList'>;
  /**
   * The worker host module (advanced): a file exporting `runWorkerHost`. The default is the library's own
   * `workerHost` next to the running build (`dist/cjs`, `dist/esm`) or source; pass it when a bundler
   * moves the library's files.
   */
  hostModule?: string;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

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

  private readonly config: HostConfig;
  private readonly startTimeoutMs: number;
  private readonly batching: Omit<PortEmitterOptions, 'scheduler'>;
  private readonly workerOptions: WorkerRuntimeOptions['workerOptions'];
  private readonly hostModule: string | undefined;
  private readonly state = new BehaviorSubject<RuntimeState>('virgin');
  private readonly errors = new Subject<Error>();
  private readonly recorders = new Map<string, RemoteRecorderImpl>();
  private readonly removing = new Set<string>();
  private readonly pending = new Map<number, Pending>();
  private readonly hub = new SnapshotHub();
  private worker: Worker | undefined;
  private nextId = 0;
  private startOp: Promise<void> | undefined;
  private shutdownOp: Promise<void> | undefined;

  constructor(options: WorkerRuntimeOptions) {
    checkPlainObject('options', options);
    const resolved = resolveRuntimeOptions({
      namespace: options.namespace,
      recorderDefaults: options.recorderDefaults ?? {},
      ...(options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
    });
    if ((options.recorderDefaults as { scheduler?: unknown } | undefined)?.scheduler !== undefined) {
      throw typeError(
        'options.recorderDefaults.scheduler',
        'absent (schedulers cannot cross threads)',
        'scheduler',
      );
    }
    this.namespace = resolved.namespace;
    this.entityId = resolved.namespace;
    this.config = {
      namespace: resolved.namespace,
      metricsModule: resolveModule(options.metricsModule),
      recorderDefaults: { ...(options.recorderDefaults ?? {}) },
      shutdownTimeoutMs: resolved.shutdownTimeoutMs,
    };
    this.startTimeoutMs =
      options.startTimeoutMs === undefined
        ? 30_000
        : checkNonNegativeNumber('options.startTimeoutMs', options.startTimeoutMs);
    this.batching = { ...(options.batching ?? {}) };
    this.workerOptions = options.workerOptions;
    this.hostModule = options.hostModule;
    this.state$ = this.state.pipe(distinctUntilChanged());
    this.errors$ = this.errors.asObservable();
    this.snapshots$ = this.hub.snapshots$;
  }

  getStatus(): RuntimeState {
    return this.state.getValue();
  }

  /** Starts the worker and waits until it has loaded the metrics module. A failed start terminates it. */
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
  shutdown(): Promise<void> {
    const status = this.getStatus();
    if (status === 'closed') return Promise.resolve();
    if (status === 'stopping' && this.shutdownOp) return this.shutdownOp.catch(() => undefined);
    this.shutdownOp = this.runShutdown();
    return this.shutdownOp;
  }

  /** Creates a recorder in the worker (with the module's metrics registered) and returns its facade. */
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
      const facade = new RemoteRecorderImpl<E>(id, value.entityId, value.namespace, port1, this.batching);
      this.recorders.set(id, facade as unknown as RemoteRecorderImpl);
      this.hub.add(id, facade.snapshots$);
      return facade;
    } catch (error) {
      port1.close();
      throw error;
    }
  }

  getRecorder<E extends MetricEvent = MetricEvent>(recorderId: string): RemoteRecorder<E> {
    const found = this.tryGetRecorder<E>(recorderId);
    if (!found) throw new RecorderNotFoundError(normalizeRecorderId(recorderId));
    return found;
  }

  tryGetRecorder<E extends MetricEvent = MetricEvent>(recorderId: string): RemoteRecorder<E> | undefined {
    const id = normalizeRecorderId(recorderId);
    this.requireRunning('get a recorder');
    return this.recorders.get(id) as unknown as RemoteRecorder<E> | undefined;
  }

  listRecorderIds(): readonly string[] {
    this.requireRunning('list recorder ids');
    return Object.freeze([...this.recorders.keys()]);
  }

  /** Flushes the facade, then stops the hosted recorder (it stays registered). */
  async stopRecorder(recorderId: string): Promise<void> {
    const id = normalizeRecorderId(recorderId);
    this.requireRunning('stop a recorder');
    const facade = this.recorders.get(id);
    if (!facade || this.removing.has(id)) throw new RecorderNotFoundError(id);
    await facade.flush();
    await this.request({ op: 'stop', recorderId: id });
  }

  /** Flushes the facade, stops and removes the hosted recorder, closes and returns the facade. */
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
    let worker: Worker;
    try {
      worker = new Worker(BOOTSTRAP_SOURCE, {
        ...this.workerOptions,
        eval: true,
        workerData: { mvxHost: this.hostModule ?? defaultHostModule(), mvx: this.config },
      });
    } catch (cause) {
      this.state.next('failure');
      throw new WorkerStartupError('Cannot start the metrics worker', { cause });
    }
    this.worker = worker;
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (data: unknown) => {
        if (!isHostMessage(data)) return;
        if (data.kind === 'ready') resolve();
        else if (data.kind === 'startup-failed') reject(fromWire(data.error));
        else if (data.kind === 'response')
          this.settle(data.id, data.ok, data.value, data.error && fromWire(data.error));
      });
      worker.on('error', (error) => {
        reject(error);
        this.crashed(undefined, error);
      });
      worker.on('exit', (code) => {
        reject(new Error(`the worker exited with code ${code}`));
        this.crashed(code, undefined);
      });
    });
    const TIMEOUT = Symbol('timeout');
    try {
      const outcome = await withTimeout(ready, this.startTimeoutMs, TIMEOUT);
      if (outcome === TIMEOUT) throw new Error(`the worker was not ready within ${this.startTimeoutMs} ms`);
    } catch (cause) {
      this.worker = undefined;
      await worker.terminate().catch(() => undefined);
      this.state.next('failure');
      throw new WorkerStartupError('Cannot start the metrics worker', { cause });
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
        const budget = this.config.shutdownTimeoutMs;
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
      this.rejectPending(new RuntimeInvalidStateError('closed', ['running'], 'complete the request'));
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
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const message = { mvx: HOST_PROTOCOL, kind: 'request', id, request, ...(port ? { port } : {}) };
      worker.postMessage(message, port ? [port] : []);
    });
  }

  private settle(id: number, ok: boolean, value: unknown, error: Error | undefined): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    if (ok) entry.resolve(value);
    else entry.reject(error ?? new Error('request failed'));
  }

  private rejectPending(error: Error): void {
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
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
    this.rejectPending(error);
    this.state.next('failure');
    this.errors.next(error);
  }

  private release(id: string): void {
    this.recorders.get(id)?.close();
    this.recorders.delete(id);
    this.removing.delete(id);
    this.hub.remove(id);
  }

  private requireRunning(operation: string): void {
    if (this.getStatus() !== 'running') throw this.invalid(['running'], operation);
  }

  private invalid(expected: readonly RuntimeState[], operation: string): RuntimeInvalidStateError {
    return new RuntimeInvalidStateError(this.getStatus(), expected, operation);
  }
}

function resolveModule(module: unknown): string {
  if (module instanceof URL) return fileURLToPath(module);
  if (typeof module !== 'string' || module.trim() === '') {
    throw typeError('options.metricsModule', 'a non-empty path or file URL', module);
  }
  if (module.startsWith('file:')) return fileURLToPath(module);
  return isAbsolute(module) ? module : resolvePath(process.cwd(), module);
}
