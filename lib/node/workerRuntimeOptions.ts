import type { WorkerOptions } from 'node:worker_threads';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkNonNegativeNumber,
  checkPlainObject,
  checkPositiveInteger,
  rangeError,
  typeError,
} from '../internal/validate.js';
import type { LogContext } from '../logger/LogContext.js';
import type { PortEmitterOptions } from '../metrics/bridge/PortEmitter.js';
import { DEFAULT_STOP_TIMEOUT_MS } from '../metrics/recorder/recorderOptions.js';
import { resolveRuntimeOptions } from '../metrics/runtime/runtimeOptions.js';
import type { HostConfig, WorkerRecorderOptions } from './protocol.js';

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
  /**
   * Log context of the runtime's main-thread operations (`metrics_runtime.*` events, as `MetricsRuntime`
   * logs them). Log contexts cannot cross threads: the hosted recorders do not log. `null`/absent: no logging.
   * @default null
   */
  logContext?: LogContext | null;
  /** @default 10_000 */
  shutdownTimeoutMs?: number;
  /** Bound on the worker booting and loading the metrics module. @default 30_000 */
  startTimeoutMs?: number;
  /**
   * Bound, in milliseconds, on every call that waits for the worker (`createRecorder`, `flush`,
   * `stopRecorder`, `stopAndRemoveRecorder`, `shutdown`) and on the heartbeat the runtime sends every
   * half of it. A worker that does not answer in time (its event loop is blocked) is terminated and
   * reported as `WorkerUnresponsiveError` on `errors$`; the runtime moves to `failure`. A stop waits at
   * least half of it plus the recorder's `stopTimeoutMs` plus 5 s (it may queue behind a flush), a create
   * the recorder's `startTimeoutMs` plus 5 s. Positive.
   * @default 2 × `recorderDefaults.stopTimeoutMs` (5 s by default) + 5 s, i.e. 15_000
   */
  requestTimeoutMs?: number;
  /** Batching of the main-thread facades' emitters. @default { maxBatchSize: 512, flushIntervalMs: 10 } */
  batching?: Omit<PortEmitterOptions, 'scheduler'>;
  /**
   * Per facade, at most this many events are on their way to the worker (emitted on the main thread, not
   * yet received by the worker, as last acknowledged); beyond it, `emit` drops and counts the event
   * (`getBridgeStats().shed`). This bounds the memory a worker that falls behind, or a flood, can take:
   * in the worker, its receiver holds at most the recorder's capacity more. A synchronous burst larger
   * than this is cut (acknowledgements arrive between event-loop turns). Positive integer.
   * @default 100_000
   */
  maxInFlightEvents?: number;
  /** Extra `Worker` options (`execArgv`, `resourceLimits`, `env`, ...). `eval` and `workerData` are ours. */
  workerOptions?: Omit<WorkerOptions, 'eval' | 'workerData' | 'transferList'>;
  /**
   * The worker host module (advanced): a file exporting `runWorkerHost`. The default is the library's own
   * `workerHost` next to the running build (`dist/cjs`, `dist/esm`) or source; pass it when a bundler
   * moves the library's files.
   */
  hostModule?: string;
}

/** Worker runtime options, validated, with defaults applied. @internal */
export interface ResolvedWorkerRuntimeOptions {
  readonly config: HostConfig;
  readonly logContext: LogContext | null;
  readonly startTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxInFlightEvents: number;
  readonly batching: Omit<PortEmitterOptions, 'scheduler'>;
  readonly workerOptions: WorkerRuntimeOptions['workerOptions'];
  readonly hostModule: string | undefined;
}

/** Validates {@link WorkerRuntimeOptions} (TypeError/RangeError naming the option). @internal */
export function resolveWorkerRuntimeOptions(options: WorkerRuntimeOptions): ResolvedWorkerRuntimeOptions {
  checkPlainObject('options', options);
  const resolved = resolveRuntimeOptions({
    namespace: options.namespace,
    recorderDefaults: options.recorderDefaults ?? {},
    logContext: options.logContext ?? null,
    ...(options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
  });
  if ((options.recorderDefaults as { scheduler?: unknown } | undefined)?.scheduler !== undefined) {
    throw typeError(
      'options.recorderDefaults.scheduler',
      'absent (schedulers cannot cross threads)',
      'scheduler',
    );
  }
  if (options.hostModule !== undefined && (typeof options.hostModule !== 'string' || !options.hostModule)) {
    throw typeError('options.hostModule', 'a non-empty path', options.hostModule);
  }
  const requestTimeoutMs =
    options.requestTimeoutMs === undefined
      ? defaultRequestTimeoutMs(options.recorderDefaults?.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS)
      : checkPositiveNumber('options.requestTimeoutMs', options.requestTimeoutMs);
  return {
    config: {
      namespace: resolved.namespace,
      metricsModule: resolveModule(options.metricsModule),
      recorderDefaults: { ...(options.recorderDefaults ?? {}) },
      shutdownTimeoutMs: resolved.shutdownTimeoutMs,
      requestTimeoutMs,
    },
    logContext: resolved.logContext,
    startTimeoutMs:
      options.startTimeoutMs === undefined
        ? 30_000
        : checkNonNegativeNumber('options.startTimeoutMs', options.startTimeoutMs),
    requestTimeoutMs,
    maxInFlightEvents:
      options.maxInFlightEvents === undefined
        ? DEFAULT_MAX_IN_FLIGHT_EVENTS
        : checkPositiveInteger('options.maxInFlightEvents', options.maxInFlightEvents),
    batching: { ...(options.batching ?? {}) },
    workerOptions: options.workerOptions,
    hostModule: options.hostModule,
  };
}

/** Default `maxInFlightEvents` of a worker-hosted runtime's facades. */
export const DEFAULT_MAX_IN_FLIGHT_EVENTS = 100_000;

/** Room a worker needs, beyond a recorder's own bounds, to answer a request. @internal */
export const ANSWER_MARGIN_MS = 5_000;

/**
 * The default `requestTimeoutMs`: room for a stop queued behind a flush (half of the bound) plus its
 * drain (`stopTimeoutMs`) plus room to answer. @internal
 */
export function defaultRequestTimeoutMs(stopTimeoutMs: number): number {
  return 2 * stopTimeoutMs + ANSWER_MARGIN_MS;
}

function checkPositiveNumber(param: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(param, 'a positive finite number', value);
  if (!(value > 0) || !Number.isFinite(value)) throw rangeError(param, 'a positive finite number', value);
  return value;
}

function resolveModule(module: unknown): string {
  if (module instanceof URL) return fileURLToPath(module);
  if (typeof module !== 'string' || module.trim() === '') {
    throw typeError('options.metricsModule', 'a non-empty path or file URL', module);
  }
  if (module.startsWith('file:')) return fileURLToPath(module);
  return isAbsolute(module) ? module : resolvePath(process.cwd(), module);
}
