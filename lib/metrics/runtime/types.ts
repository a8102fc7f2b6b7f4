import type { LogContext } from '../../logger/LogContext.js';
import type { MetricEvent } from '../event.js';
import type { MetricsRecorder } from '../recorder/MetricsRecorder.js';
import type { RecorderOptions } from '../recorder/types.js';
import type { MetricSnapshots } from '../snapshot.js';

/**
 * Lifecycle state of a {@link MetricsRuntime}:
 * `virgin` → `starting` → `running` → `stopping` → `closed`. `closed` is terminal (a runtime is never
 * restarted); `failure` means the runtime could not start or lost its execution host (a worker).
 */
export type RuntimeState = 'virgin' | 'starting' | 'running' | 'stopping' | 'closed' | 'failure';

/**
 * Builds a recorder for the runtime: the hook for custom recorders (subclasses of
 * {@link MetricsRecorder} with `onStarting` / `onStopped` hooks).
 */
export type RecorderFactory = (entityId: string, options: RecorderOptions) => MetricsRecorder<MetricEvent>;

/** Options of {@link MetricsRuntime}. Only `namespace` is required. */
export interface RuntimeOptions {
  /** Names the runtime (its `entityId`) and is the default namespace of its recorders. Non-blank. */
  namespace: string;
  /** Defaults applied to every created recorder; each field can be overridden per recorder. */
  recorderDefaults?: Omit<RecorderOptions, 'logContext'>;
  /**
   * Log context of the runtime, and the default one of its recorders (a create option overrides it, `null`
   * included). The runtime logs `metrics_runtime.*` events through it (see `RUNTIME_LOG_EVENTS` and
   * `runtimeLogPolicy`). `null`/absent disables logging.
   * @default null
   */
  logContext?: LogContext | null;
  /**
   * Bound, in milliseconds, on `shutdown()` stopping every recorder.
   * @default 10_000
   */
  shutdownTimeoutMs?: number;
  /**
   * Builds recorders (default: `new MetricsRecorder(entityId, options)`); overridable per recorder.
   * @default (entityId, options) => new MetricsRecorder(entityId, options)
   */
  recorderFactory?: RecorderFactory;
}

/** Per-recorder options of {@link MetricsRuntime.createRecorder}. Every field is optional. */
export interface CreateRecorderOptions extends RecorderOptions {
  /**
   * The recorder's entity id (its measured scope).
   * @default the (trimmed) recorder id
   */
  entityId?: string;
  /** Builds this recorder instead of the runtime's `recorderFactory`. */
  factory?: RecorderFactory;
}

/** Every recorder's snapshots, keyed by recorder id, in creation order. */
export type RuntimeSnapshots = {
  readonly [recorderId: string]: MetricSnapshots;
};
