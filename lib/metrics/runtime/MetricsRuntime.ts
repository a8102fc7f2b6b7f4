import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import type { MetricEvent } from '../event.js';
import type { MetricsRuntimeError } from '../errors/MetricsError.js';
import {
  RecorderAlreadyExistsError,
  RecorderNotFoundError,
  RecorderStartupError,
  RecorderStopError,
  RuntimeInvalidStateError,
} from '../errors/runtimeErrors.js';
import type { LogContext } from '../../logger/LogContext.js';
import { MetricsRecorder } from '../recorder/MetricsRecorder.js';
import { loggedRuntime } from './runtimeLogging.js';
import {
  normalizeRecorderId,
  resolveCreateRequest,
  resolveRuntimeOptions,
  type ResolvedRuntimeOptions,
} from './runtimeOptions.js';
import { shutdownRecorders } from './shutdownRecorders.js';
import { SnapshotHub } from './SnapshotHub.js';
import type { CreateRecorderOptions, RuntimeOptions, RuntimeSnapshots, RuntimeState } from './types.js';

type AnyRecorder = MetricsRecorder<MetricEvent>;

const RUNNING: readonly RuntimeState[] = ['running'];

/**
 * Owns a set of recorders: creates them with the runtime's defaults, finds, stops and removes them,
 * and shuts everything down cleanly. Applications own a runtime; production code holds only the
 * recorders' emitters.
 *
 * States: `virgin` → `starting` → `running` → `stopping` → `closed` (terminal). `start()` is
 * idempotent while running; `shutdown()` works from any state, joins a shutdown in flight and is a
 * no-op once closed. Recorder operations and lookups need `running` (else `RuntimeInvalidStateError`).
 * Methods returning a Promise never throw synchronously: bad arguments are rejections too.
 *
 * ## Example
 * ```ts
 * import { MetricsRuntime, defineMetric } from 'mvx-common';
 *
 * const runtime = new MetricsRuntime({ namespace: 'example.metrics' });
 * await runtime.start();
 * const recorder = await runtime.createRecorder('document_storage');
 * recorder.registerMetric(saveAttempts);
 * recorder.emit({ type: 'document_storage.save.attempt', outcome: 'success' });
 * console.log(recorder.getMetricSnapshots());
 * await runtime.shutdown();
 * ```
 */
export class MetricsRuntime {
  /** The runtime's namespace (trimmed); the default namespace of its recorders. */
  readonly namespace: string;
  /** The runtime's log entity id: its namespace. */
  readonly entityId: string;
  /** Lifecycle state; replays the current state. */
  readonly state$: Observable<RuntimeState>;
  /**
   * Every registered recorder's snapshots keyed by recorder id (creation order), coalesced: one emission
   * per turn however many recorders changed. Recorders appear when created and disappear when removed.
   * Replays the latest map; completes (after an empty map) once the runtime is closed.
   */
  readonly snapshots$: Observable<RuntimeSnapshots>;

  private readonly options: ResolvedRuntimeOptions;
  private readonly state = new BehaviorSubject<RuntimeState>('virgin');
  private readonly recorders = new Map<string, AnyRecorder>();
  private readonly creating = new Set<string>();
  private readonly removing = new Set<string>();
  private readonly hub = new SnapshotHub();
  private startOp: Promise<void> | undefined;
  private shutdownOp: Promise<void> | undefined;

  /**
   * @param options - `namespace` (required, non-blank) and optional defaults; a bad option throws a
   *   TypeError/RangeError naming it. No recorder is created here.
   */
  constructor(options: RuntimeOptions) {
    this.options = resolveRuntimeOptions(options);
    this.namespace = this.options.namespace;
    this.entityId = this.namespace;
    this.state$ = this.state.pipe(distinctUntilChanged());
    this.snapshots$ = this.hub.snapshots$;
  }

  /** The current lifecycle state. */
  getStatus(): RuntimeState {
    return this.state.getValue();
  }

  /** The runtime's log context (the default of its recorders), or null (no logging). */
  getLogContext(): LogContext | null {
    return this.options.logContext;
  }

  /**
   * Starts the runtime: `virgin` → `running`. Resolves at once while running and joins a start in flight;
   * rejects with `RuntimeInvalidStateError` once stopping, closed or failed.
   */
  @loggedRuntime.start
  start(): Promise<void> {
    const status = this.getStatus();
    if (status === 'running') return Promise.resolve();
    if (status === 'starting' && this.startOp) return this.startOp;
    if (status !== 'virgin') return Promise.reject(this.invalid(['virgin', 'running'], 'start'));
    this.setState('starting');
    this.startOp = Promise.resolve().then(() => {
      this.startOp = undefined;
      if (this.getStatus() === 'starting') this.setState('running');
    });
    return this.startOp;
  }

  /**
   * Stops and removes every recorder (in parallel, within `shutdownTimeoutMs`), then ends `closed`.
   * Idempotent once closed; a shutdown while one is in flight resolves when the runtime is closed.
   * Rejects with `RuntimeShutdownError` (listing each failed recorder) when a recorder failed to stop; the
   * runtime is closed and every recorder released all the same. Never hangs.
   */
  @loggedRuntime.shutdown
  shutdown(): Promise<void> {
    const status = this.getStatus();
    if (status === 'closed') return Promise.resolve();
    if (status === 'stopping' && this.shutdownOp) return this.shutdownOp.catch(() => undefined);
    const op = this.runShutdown();
    this.shutdownOp = op;
    return op;
  }

  /**
   * Creates, starts and registers a recorder. `recorderId` is trimmed; `entityId` defaults to it;
   * `namespace` defaults to the runtime's; other options default to `recorderDefaults`.
   * Rejects with TypeError/RangeError for bad arguments, `RuntimeInvalidStateError` unless running,
   * `RecorderAlreadyExistsError` when the id is registered or being created (concurrent creates of one id:
   * exactly one wins), `RecorderStartupError` when the recorder cannot be built or started (nothing is
   * registered and the recorder is disposed).
   */
  @loggedRuntime.createRecorder
  async createRecorder<E extends MetricEvent = MetricEvent>(
    recorderId: string,
    options?: CreateRecorderOptions,
  ): Promise<MetricsRecorder<E>> {
    const id = normalizeRecorderId(recorderId);
    const request = resolveCreateRequest(id, options, this.options);
    this.requireRunning('create a recorder');
    if (this.recorders.has(id) || this.creating.has(id)) throw new RecorderAlreadyExistsError(id);
    this.creating.add(id);
    try {
      let recorder: AnyRecorder;
      try {
        recorder = request.factory
          ? request.factory(request.entityId, request.options)
          : new MetricsRecorder(request.entityId, request.options);
        if (!(recorder instanceof MetricsRecorder)) {
          throw new TypeError('Expected the recorder factory to return a MetricsRecorder');
        }
      } catch (cause) {
        throw new RecorderStartupError(id, { cause });
      }
      const result = await recorder.start();
      if (!result.success) {
        void recorder.dispose();
        throw new RecorderStartupError(id, { cause: result.error });
      }
      if (this.getStatus() !== 'running') {
        void recorder.dispose();
        throw this.invalid(RUNNING, 'create a recorder');
      }
      this.recorders.set(id, recorder);
      this.hub.add(id, recorder.snapshots$);
      return recorder as unknown as MetricsRecorder<E>;
    } finally {
      this.creating.delete(id);
    }
  }

  /** The recorder registered under `recorderId` (trimmed); throws `RecorderNotFoundError` when absent. */
  @loggedRuntime.getRecorder
  getRecorder<E extends MetricEvent = MetricEvent>(recorderId: string): MetricsRecorder<E> {
    const id = normalizeRecorderId(recorderId);
    this.requireRunning('get a recorder');
    const recorder = this.recorders.get(id);
    if (!recorder) throw new RecorderNotFoundError(id);
    return recorder as unknown as MetricsRecorder<E>;
  }

  /** The recorder registered under `recorderId` (trimmed), or undefined. */
  @loggedRuntime.tryGetRecorder
  tryGetRecorder<E extends MetricEvent = MetricEvent>(recorderId: string): MetricsRecorder<E> | undefined {
    const id = normalizeRecorderId(recorderId);
    this.requireRunning('get a recorder');
    return this.recorders.get(id) as unknown as MetricsRecorder<E> | undefined;
  }

  /** Registered recorder ids, in creation order. */
  @loggedRuntime.listRecorderIds
  listRecorderIds(): readonly string[] {
    this.requireRunning('list recorder ids');
    return Object.freeze([...this.recorders.keys()]);
  }

  /**
   * Stops a recorder without removing it (joins a stop in flight; a stopped recorder is left as is).
   * Rejects with `RecorderNotFoundError` when absent or being removed, `RecorderStopError` when the stop
   * fails or the recorder is in a state that cannot be stopped.
   */
  @loggedRuntime.stopRecorder
  async stopRecorder(recorderId: string): Promise<void> {
    const id = normalizeRecorderId(recorderId);
    this.requireRunning('stop a recorder');
    const recorder = this.recorders.get(id);
    if (!recorder || this.removing.has(id)) throw new RecorderNotFoundError(id);
    await stopOne(id, recorder);
  }

  /**
   * Stops (if needed) and removes a recorder, and returns it. The recorder is removed even when its stop
   * fails (then the promise rejects with `RecorderStopError`). Concurrent calls for one id: exactly one
   * gets the recorder, the others `RecorderNotFoundError`.
   */
  @loggedRuntime.stopAndRemoveRecorder
  async stopAndRemoveRecorder<E extends MetricEvent = MetricEvent>(
    recorderId: string,
  ): Promise<MetricsRecorder<E>> {
    const id = normalizeRecorderId(recorderId);
    this.requireRunning('stop and remove a recorder');
    const recorder = this.recorders.get(id);
    if (!recorder || this.removing.has(id)) throw new RecorderNotFoundError(id);
    this.removing.add(id);
    try {
      await stopOne(id, recorder);
    } finally {
      this.recorders.delete(id);
      this.removing.delete(id);
      this.hub.remove(id);
    }
    return recorder as unknown as MetricsRecorder<E>;
  }

  // ---------------------------------------------------------------- internals

  private async runShutdown(): Promise<void> {
    if (this.getStatus() === 'starting' && this.startOp) await this.startOp;
    this.setState('stopping');
    const entries = [...this.recorders.entries()];
    try {
      await shutdownRecorders(entries, this.options.shutdownTimeoutMs, stopOne);
    } finally {
      this.recorders.clear();
      this.creating.clear();
      this.removing.clear();
      this.hub.close();
      this.setState('closed');
      this.shutdownOp = undefined;
    }
  }

  private requireRunning(operation: string): void {
    if (this.getStatus() !== 'running') throw this.invalid(RUNNING, operation);
  }

  private invalid(expected: readonly RuntimeState[], operation: string): MetricsRuntimeError {
    return new RuntimeInvalidStateError(this.getStatus(), expected, operation);
  }

  private setState(next: RuntimeState): void {
    this.state.next(next);
  }
}

/** Stops one recorder the runtime way: stopped → nothing; running/stopping → stop; else an error. */
async function stopOne(recorderId: string, recorder: AnyRecorder): Promise<void> {
  const status = recorder.getStatus();
  if (status === 'stopped') return;
  if (status !== 'running' && status !== 'stopping') {
    throw new RecorderStopError(recorderId, { reason: `the recorder is '${status}'` });
  }
  const result = await recorder.stop();
  if (!result.success) throw new RecorderStopError(recorderId, { cause: result.error });
}
