import type { MetricEvent } from '../event.js';
import {
  RecorderAlreadyExistsError,
  RecorderStartupError,
  RecorderStopError,
} from '../errors/runtimeErrors.js';
import { MetricsRecorder } from '../recorder/MetricsRecorder.js';
import { loggedRuntime } from './runtimeLogging.js';
import {
  normalizeRecorderId,
  resolveCreateRequest,
  resolveRuntimeOptions,
  type ResolvedRuntimeOptions,
} from './runtimeOptions.js';
import { RuntimeBase, type RecorderKind } from './RuntimeBase.js';
import { shutdownRecorders } from './shutdownRecorders.js';
import type { CreateRecorderOptions, RuntimeOptions } from './types.js';

type AnyRecorder = MetricsRecorder<MetricEvent>;

/** {@link MetricsRuntime} hands out `MetricsRecorder`s. */
export interface LocalRecorderKind extends RecorderKind {
  /** The recorder type for `this['event']`. */
  readonly recorder: MetricsRecorder<this['event']>;
}

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
 * Stopping a recorder (`stopRecorder`, `stopAndRemoveRecorder`, `shutdown`) joins a stop in flight and
 * leaves a stopped recorder as is; a recorder in a state that cannot be stopped is a `RecorderStopError`.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { MetricsRuntime, outcomeCounter } from 'mvx-common';
 *
 * type SaveAttempt = { type: 'document_storage.save.attempt'; outcome: 'success' | 'failure' };
 * const saveAttempts = outcomeCounter<SaveAttempt>({
 *   name: 'document_storage.save.attempts',
 *   on: 'document_storage.save.attempt',
 * });
 *
 * const runtime = new MetricsRuntime({ namespace: 'example.metrics' });
 * await runtime.start();
 * const recorder = await runtime.createRecorder<SaveAttempt>('document_storage');
 * recorder.registerMetric(saveAttempts);
 * recorder.emit({ type: 'document_storage.save.attempt', outcome: 'success' });
 * console.log(runtime.listRecorderIds().join(), recorder.getMetricSnapshot(saveAttempts)?.dimensions.total);
 * // → document_storage 1
 * await runtime.shutdown(); // stops every recorder within shutdownTimeoutMs
 * console.log(runtime.getStatus()); // → closed
 * ```
 */
export class MetricsRuntime extends RuntimeBase<LocalRecorderKind, AnyRecorder> {
  private readonly options: ResolvedRuntimeOptions;

  /**
   * @param options - `namespace` (required, non-blank) and optional defaults; a bad option throws a
   *   TypeError/RangeError naming it. No recorder is created here.
   */
  constructor(options: RuntimeOptions) {
    const resolved = resolveRuntimeOptions(options);
    super(resolved.namespace, resolved.logContext);
    this.options = resolved;
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
        throw this.invalid(['running'], 'create a recorder');
      }
      this.register(id, recorder);
      return recorder as unknown as MetricsRecorder<E>;
    } finally {
      this.creating.delete(id);
    }
  }

  // ---------------------------------------------------------------- hooks

  protected override startHost(): Promise<void> {
    return Promise.resolve();
  }

  protected override stopHosted(recorderId: string, recorder: AnyRecorder): Promise<void> {
    return stopOne(recorderId, recorder);
  }

  protected override stopAll(entries: ReadonlyArray<readonly [string, AnyRecorder]>): Promise<void> {
    return shutdownRecorders(entries, this.options.shutdownTimeoutMs, stopOne);
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
