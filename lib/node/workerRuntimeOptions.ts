import type { WorkerOptions } from 'node:worker_threads';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkNonNegativeNumber,
  checkPlainObject,
  checkPositiveInteger,
  checkString,
  describeValue,
  orDefault,
  rangeError,
  readOptions,
  typeError,
} from '../internal/validate.js';
import type { ListsEvery } from '../internal/optionKeys.js';
import type { LogContext } from '../logger/LogContext.js';
import type { PortEmitterOptions } from '../metrics/bridge/PortEmitter.js';
import { DEFAULT_STOP_TIMEOUT_MS } from '../metrics/recorder/recorderOptions.js';
import { resolveRuntimeOptions } from '../metrics/runtime/runtimeOptions.js';
import type { HostConfig, WorkerRecorderOptions } from './protocol.js';
import { readWorkerRecorderOptions } from './workerRecorderOptions.js';

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

/** Every key of {@link WorkerRuntimeOptions}. @internal */
export const WORKER_RUNTIME_OPTION_KEYS = Object.freeze([
  'namespace',
  'metricsModule',
  'recorderDefaults',
  'logContext',
  'shutdownTimeoutMs',
  'startTimeoutMs',
  'requestTimeoutMs',
  'batching',
  'maxInFlightEvents',
  'workerOptions',
  'hostModule',
] as const);

/** Compile-time check: the keys above are exactly those of `WorkerRuntimeOptions`. @internal */
export const WORKER_RUNTIME_OPTION_KEYS_COMPLETE: ListsEvery<
  WorkerRuntimeOptions,
  typeof WORKER_RUNTIME_OPTION_KEYS
> = true;

/** `Worker` options the runtime sets itself. */
const RESERVED_WORKER_OPTIONS = ['eval', 'workerData', 'transferList'];

/** Default bound on the worker booting and loading the metrics module, in milliseconds. */
const DEFAULT_WORKER_START_TIMEOUT_MS = 30_000;

/**
 * Validates {@link WorkerRuntimeOptions}: unknown keys (also in `recorderDefaults` and `batching`), throwing
 * getters, Proxy traps and bad values are a TypeError/RangeError naming the option. @internal
 */
export function resolveWorkerRuntimeOptions(options: WorkerRuntimeOptions): ResolvedWorkerRuntimeOptions {
  if (options === undefined) throw typeError('options', 'an object', options);
  const o = readOptions('options', options, WORKER_RUNTIME_OPTION_KEYS);
  const recorderDefaults = readWorkerRecorderOptions('options.recorderDefaults', o.recorderDefaults, false);
  const resolved = resolveRuntimeOptions({
    namespace: o.namespace as string,
    recorderDefaults,
    logContext: (o.logContext ?? null) as LogContext | null,
    ...(o.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: o.shutdownTimeoutMs as number }),
  });
  const hostModule = orDefault(o.hostModule, undefined, (v) =>
    checkString('options.hostModule', v, { nonEmpty: true }),
  );
  const requestTimeoutMs = orDefault(
    o.requestTimeoutMs,
    defaultRequestTimeoutMs(recorderDefaults.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS),
    (v) => checkPositiveNumber('options.requestTimeoutMs', v),
  );
  return {
    config: {
      namespace: resolved.namespace,
      metricsModule: resolveModule(o.metricsModule),
      recorderDefaults,
      shutdownTimeoutMs: resolved.shutdownTimeoutMs,
      requestTimeoutMs,
    },
    logContext: resolved.logContext,
    startTimeoutMs: orDefault(o.startTimeoutMs, DEFAULT_WORKER_START_TIMEOUT_MS, (v) =>
      checkNonNegativeNumber('options.startTimeoutMs', v),
    ),
    requestTimeoutMs,
    maxInFlightEvents: orDefault(o.maxInFlightEvents, DEFAULT_MAX_IN_FLIGHT_EVENTS, (v) =>
      checkPositiveInteger('options.maxInFlightEvents', v),
    ),
    batching: readBatching(o.batching),
    workerOptions: readWorkerOptions(o.workerOptions),
    hostModule,
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

/** `options.batching`: the facades' port-emitter options, checked here rather than at each `createRecorder`. */
function readBatching(value: unknown): Omit<PortEmitterOptions, 'scheduler'> {
  const b = readOptions('options.batching', value, ['maxBatchSize', 'flushIntervalMs']);
  return {
    ...(b.maxBatchSize === undefined
      ? {}
      : { maxBatchSize: checkPositiveInteger('options.batching.maxBatchSize', b.maxBatchSize) }),
    ...(b.flushIntervalMs === undefined
      ? {}
      : { flushIntervalMs: checkNonNegativeNumber('options.batching.flushIntervalMs', b.flushIntervalMs) }),
  };
}

/**
 * `options.workerOptions`: Node's own `Worker` options, passed through (Node checks their values); read once,
 * safely, and without the options the runtime sets itself.
 */
function readWorkerOptions(value: unknown): WorkerRuntimeOptions['workerOptions'] {
  if (value === undefined) return undefined;
  checkPlainObject('options.workerOptions', value);
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(value as object);
  } catch (cause) {
    throw new TypeError('Reading the keys of `options.workerOptions` threw', { cause });
  }
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (typeof key !== 'string' || RESERVED_WORKER_OPTIONS.includes(key)) {
      const shown = typeof key === 'string' ? JSON.stringify(key) : key.toString();
      throw new TypeError(
        `Option ${shown} of \`options.workerOptions\` is not allowed (the runtime sets ${RESERVED_WORKER_OPTIONS.map((k) => `\`${k}\``).join(', ')} itself)`,
      );
    }
    try {
      copy[key] = (value as Record<string, unknown>)[key];
    } catch (cause) {
      throw new TypeError(`Reading \`options.workerOptions.${key}\` threw`, { cause });
    }
  }
  return copy;
}

function resolveModule(module: unknown): string {
  const expected = 'a non-empty path or file URL';
  if (module instanceof URL || (typeof module === 'string' && module.startsWith('file:'))) {
    try {
      return fileURLToPath(module);
    } catch (cause) {
      throw new TypeError(
        `Expected \`options.metricsModule\` to be ${expected}, got ${describeValue(String(module))}`,
        {
          cause,
        },
      );
    }
  }
  if (typeof module !== 'string' || module.trim() === '') {
    throw typeError('options.metricsModule', expected, module);
  }
  return isAbsolute(module) ? module : resolvePath(process.cwd(), module);
}
