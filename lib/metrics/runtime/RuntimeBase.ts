import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { hasBrandedInstance } from '../../internal/brand.js';
import type { LogContext } from '../../logger/LogContext.js';
import type { MetricEvent } from '../event.js';
import { RecorderNotFoundError, RuntimeInvalidStateError } from '../errors/runtimeErrors.js';
import type { MetricSnapshots } from '../snapshot.js';
import { loggedRuntime } from './runtimeLogging.js';
import { normalizeRecorderId } from './runtimeOptions.js';
import { SnapshotHub } from './SnapshotHub.js';
import type { RuntimeSnapshots, RuntimeState } from './types.js';

/**
 * A type-level function from an event type to the recorder type a runtime hands out for it: a subtype
 * sets `recorder` in terms of `this['event']` (e.g. `MetricsRecorder<this['event']>`); {@link RecorderOf}
 * applies it. Not exported from the package entry points, but kept in the published declarations.
 */
export interface RecorderKind {
  /** The event type; filled in by {@link RecorderOf}. */
  readonly event: MetricEvent;
  /** The recorder type for `this['event']`. */
  readonly recorder: unknown;
}

/** The recorder type `K` hands out for events `E`. */
export type RecorderOf<K extends RecorderKind, E extends MetricEvent> = (K & {
  readonly event: E;
})['recorder'];

/** What the registry needs of a hosted recorder: its snapshots, merged into `snapshots$`. */
export interface RegisteredRecorder {
  /** The recorder's snapshots; followed while it is registered. */
  readonly snapshots$: Observable<MetricSnapshots>;
}

const RUNNING: readonly RuntimeState[] = ['running'];

/**
 * What `MetricsRuntime` and `WorkerMetricsRuntime` share: the lifecycle state machine (`virgin` →
 * `starting` → `running` → `stopping` → `closed`, or `failure`), the recorder registry keyed by trimmed
 * id (with the ids being created or removed), the lookups, and the shutdown skeleton. Subclasses say how
 * their host starts, how a recorder is stopped, removed and released, and how everything is shut down.
 *
 * `K` maps an event type to the recorder type handed out; `R` is the type stored in the registry.
 * Not exported from the package entry points, but kept in the published declarations (the runtimes'
 * declarations extend it), so it is not marked internal.
 */
export abstract class RuntimeBase<K extends RecorderKind, R extends RegisteredRecorder> {
  /** The runtime's namespace (trimmed); the default namespace of its recorders. */
  readonly namespace: string;
  /** The runtime's log entity id: its namespace. */
  readonly entityId: string;
  /** Lifecycle state; replays the current state. */
  readonly state$: Observable<RuntimeState>;
  /**
   * Every registered recorder's snapshots keyed by recorder id (creation order), coalesced: one emission
   * per turn however many recorders changed. Recorders appear when created and disappear when removed.
   * Replays the latest map; completes (after an empty map) once the runtime is closed. The recorders
   * are followed only while someone subscribes (the first subscriber gets the current map at once).
   */
  readonly snapshots$: Observable<RuntimeSnapshots>;

  /** Registered recorders by id, in creation order. */
  protected readonly recorders = new Map<string, R>();
  /** Ids whose creation is in flight. */
  protected readonly creating = new Set<string>();
  private readonly removing = new Set<string>();
  private readonly state = new BehaviorSubject<RuntimeState>('virgin');
  private readonly hub = new SnapshotHub();
  private readonly logContext: LogContext | null;
  private startOp: Promise<void> | undefined;
  private shutdownOp: Promise<void> | undefined;

  /** Class identity across copies of the package (the CommonJS and ESM builds loaded together). @internal */
  static readonly mvxBrand: string = 'mvx-common/RuntimeBase';

  /** True for every runtime, including one made by another copy of this package. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrandedInstance(this as unknown as abstract new () => unknown, value);
  }

  /**
   * @param namespace - the resolved (trimmed) namespace; also the entity id.
   * @param logContext - the log context of the runtime's operations, or null (no logging).
   */
  protected constructor(namespace: string, logContext: LogContext | null) {
    this.namespace = namespace;
    this.entityId = namespace;
    this.logContext = logContext;
    this.state$ = this.state.asObservable().pipe(distinctUntilChanged()); // read-only: a piped subject forwards next()
    this.snapshots$ = this.hub.snapshots$;
  }

  /** The current lifecycle state. */
  getStatus(): RuntimeState {
    return this.state.getValue();
  }

  /** The log context of the runtime's operations (the default of its recorders), or null (no logging). */
  getLogContext(): LogContext | null {
    return this.logContext;
  }

  /**
   * Starts the runtime: `virgin` → `running` (a failed start ends `failure` and rejects with its error).
   * Resolves at once while running and joins a start in flight; rejects with `RuntimeInvalidStateError`
   * once stopping, closed or failed.
   */
  @loggedRuntime.start
  start(): Promise<void> {
    const status = this.getStatus();
    if (status === 'running') return Promise.resolve();
    if (status === 'starting' && this.startOp) return this.startOp;
    if (status !== 'virgin') return Promise.reject(this.invalid(['virgin', 'running'], 'start'));
    this.setState('starting');
    this.startOp = this.runStart().finally(() => (this.startOp = undefined));
    return this.startOp;
  }

  /**
   * Stops and removes every recorder (within the shutdown timeout), then ends `closed`, from any state.
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

  /** The recorder registered under `recorderId` (trimmed); throws `RecorderNotFoundError` when absent. */
  @loggedRuntime.getRecorder
  getRecorder<E extends MetricEvent = MetricEvent>(recorderId: string): RecorderOf<K, E> {
    const id = normalizeRecorderId(recorderId);
    this.requireRunning('get a recorder');
    const recorder = this.recorders.get(id);
    if (!recorder) throw new RecorderNotFoundError(id);
    return recorder as RecorderOf<K, E>;
  }

  /** The recorder registered under `recorderId` (trimmed), or undefined. */
  @loggedRuntime.tryGetRecorder
  tryGetRecorder<E extends MetricEvent = MetricEvent>(recorderId: string): RecorderOf<K, E> | undefined {
    const id = normalizeRecorderId(recorderId);
    this.requireRunning('get a recorder');
    return this.recorders.get(id) as RecorderOf<K, E> | undefined;
  }

  /** Registered recorder ids, in creation order. */
  @loggedRuntime.listRecorderIds
  listRecorderIds(): readonly string[] {
    this.requireRunning('list recorder ids');
    return Object.freeze([...this.recorders.keys()]);
  }

  /**
   * Stops a recorder without removing it (see {@link RuntimeBase.stopHosted}). Rejects with
   * `RecorderNotFoundError` when absent or being removed, `RecorderStopError` when the stop fails.
   */
  @loggedRuntime.stopRecorder
  async stopRecorder(recorderId: string): Promise<void> {
    const [id, recorder] = this.findStoppable(recorderId, 'stop a recorder');
    await this.stopHosted(id, recorder);
  }

  /**
   * Stops (if needed) and removes a recorder, and returns it. The recorder is removed and released even
   * when its stop fails (then the promise rejects with `RecorderStopError`). Concurrent calls for one id:
   * exactly one gets the recorder, the others `RecorderNotFoundError`.
   */
  @loggedRuntime.stopAndRemoveRecorder
  async stopAndRemoveRecorder<E extends MetricEvent = MetricEvent>(
    recorderId: string,
  ): Promise<RecorderOf<K, E>> {
    const [id, recorder] = this.findStoppable(recorderId, 'stop and remove a recorder');
    this.removing.add(id);
    try {
      await this.removeHosted(id, recorder);
    } finally {
      this.release(id);
    }
    return recorder as RecorderOf<K, E>;
  }

  // ---------------------------------------------------------------- hooks

  /** Brings the host up (`starting`); a rejection moves the runtime to `failure`. */
  protected abstract startHost(): Promise<void>;

  /** Stops one registered recorder, leaving it registered. */
  protected abstract stopHosted(recorderId: string, recorder: R): Promise<void>;

  /** Stops one recorder about to be removed (default: {@link RuntimeBase.stopHosted}). */
  protected removeHosted(recorderId: string, recorder: R): Promise<void> {
    return this.stopHosted(recorderId, recorder);
  }

  /**
   * Stops every recorder for `shutdown()` (`wasRunning`: the runtime was running when it began);
   * rejects with `RuntimeShutdownError` on failures. Everything is released afterwards either way.
   */
  protected abstract stopAll(
    entries: ReadonlyArray<readonly [string, R]>,
    wasRunning: boolean,
  ): Promise<void>;

  /** Called when a recorder leaves the registry (removed or shut down), before its snapshots are dropped. */
  protected releaseHosted(_recorder: R): void {}

  /** Releases the host once every recorder is released, before the runtime is `closed`. */
  protected releaseHost(): Promise<void> | void {}

  /** Called right after the runtime is `closed`. */
  protected onClosed(): void {}

  // ---------------------------------------------------------------- helpers for subclasses

  /** Registers a started recorder under `id` and follows its snapshots. */
  protected register(id: string, recorder: R): void {
    this.recorders.set(id, recorder);
    this.hub.add(id, recorder.snapshots$);
  }

  /** Throws `RuntimeInvalidStateError` (expected `running`) unless the runtime is running. */
  protected requireRunning(operation: string): void {
    if (this.getStatus() !== 'running') throw this.invalid(RUNNING, operation);
  }

  /** A `RuntimeInvalidStateError` for `operation` in the current state. */
  protected invalid(expected: readonly RuntimeState[], operation: string): RuntimeInvalidStateError {
    return new RuntimeInvalidStateError(this.getStatus(), expected, operation);
  }

  /** Moves the lifecycle to `next`. */
  protected setState(next: RuntimeState): void {
    this.state.next(next);
  }

  // ---------------------------------------------------------------- internals

  private findStoppable(recorderId: string, operation: string): [string, R] {
    const id = normalizeRecorderId(recorderId);
    this.requireRunning(operation);
    const recorder = this.recorders.get(id);
    if (!recorder || this.removing.has(id)) throw new RecorderNotFoundError(id);
    return [id, recorder];
  }

  private release(id: string): void {
    const recorder = this.recorders.get(id);
    if (recorder) this.releaseHosted(recorder);
    this.recorders.delete(id);
    this.removing.delete(id);
    this.hub.remove(id);
  }

  private async runStart(): Promise<void> {
    try {
      await this.startHost();
    } catch (error) {
      this.setState('failure');
      throw error;
    }
    if (this.getStatus() === 'starting') this.setState('running');
  }

  private async runShutdown(): Promise<void> {
    if (this.getStatus() === 'starting' && this.startOp) await this.startOp.catch(() => undefined);
    const wasRunning = this.getStatus() === 'running';
    this.setState('stopping');
    const entries = [...this.recorders.entries()];
    try {
      await this.stopAll(entries, wasRunning);
    } finally {
      for (const [id] of entries) this.release(id);
      this.recorders.clear();
      this.creating.clear();
      this.removing.clear();
      const released = this.releaseHost();
      if (released) await released;
      this.hub.close();
      this.setState('closed');
      this.onClosed();
      this.shutdownOp = undefined;
    }
  }
}
