import { interval, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import {
  checkFunction,
  checkPositiveInteger,
  checkScheduler,
  orDefault,
  readOptions,
  typeError,
} from '../../internal/validate.js';
import { unrefTimerScheduler } from '../../internal/unrefTimerScheduler.js';
import type { MetricEmitter } from '../../metrics/emitter.js';
import type { MetricEvent } from '../../metrics/event.js';
import { MetricsRecorder } from '../../metrics/recorder/MetricsRecorder.js';
import type { RecorderState } from '../../metrics/recorder/types.js';
import type { MetricSnapshots } from '../../metrics/snapshot.js';
import type { RemoteRecorder } from '../RemoteRecorder.js';
import {
  LOOP_DELAY_FIELDS,
  processMetricDefinitions,
  PROCESS_DEFINITION_OPTION_KEYS,
  resolveDefinitionOptions,
  type ProcessMetricDefinitionOptions,
} from './processMetricDefinitions.js';
import type { ProcessMetricEvent } from './processMetricEvents.js';
import { nodeProcessReaders, PROCESS_READER_KEYS, type ProcessReaders } from './processReaders.js';

/** Default sampling interval of {@link processMetrics}, in milliseconds. */
export const DEFAULT_PROCESS_METRICS_INTERVAL_MS = 10_000;

/**
 * Options of {@link processMetrics}.
 */
export interface ProcessMetricsOptions extends ProcessMetricDefinitionOptions {
  /** Milliseconds between samples (a positive integer). @default 10_000 */
  readonly intervalMs?: number;
  /**
   * Where the sampling interval runs. The default is a real-time scheduler whose timers are unref'd
   * (they never keep the process alive); a `TestScheduler` makes sampling deterministic.
   */
  readonly scheduler?: SchedulerLike;
  /** Replaces some (or all) of the Node readers; the others stay the defaults. */
  readonly readers?: Partial<ProcessReaders>;
  /**
   * Register the process metric definitions on the recorder. Default: true for a `MetricsRecorder`;
   * a `RemoteRecorder`'s metrics are defined in its worker's metrics module, so nothing is registered.
   */
  readonly register?: boolean;
}

/** What {@link processMetrics} returns. */
export interface ProcessMetricsSampler {
  /** Takes a sample now (what every interval tick does); does nothing once stopped. */
  sample(): void;
  /** Stops sampling and disconnects the observers (idempotent). */
  stop(): void;
  /** True once stopped (by `stop()` or because the recorder was disposed or closed). */
  readonly stopped: boolean;
  /** Samples taken, and reader calls that threw (such a reading is skipped). */
  getStats(): { readonly samples: number; readonly readerErrors: number };
}

/** What processMetrics needs of a recorder: a `MetricsRecorder` or a worker runtime's `RemoteRecorder`. */
interface SampledRecorder extends MetricEmitter<MetricEvent> {
  readonly state$?: Observable<RecorderState>;
  readonly snapshots$?: Observable<MetricSnapshots>;
}

const OPTION_KEYS = [
  'intervalMs',
  'scheduler',
  'readers',
  'register',
  ...PROCESS_DEFINITION_OPTION_KEYS,
] as const;

function checkRecorder(value: unknown): SampledRecorder {
  const r = value as { emit?: unknown; snapshots$?: { subscribe?: unknown } } | null;
  if (
    value instanceof MetricsRecorder ||
    (r !== null &&
      typeof r === 'object' &&
      typeof r.emit === 'function' &&
      typeof r.snapshots$?.subscribe === 'function')
  ) {
    return value as SampledRecorder;
  }
  throw typeError('recorder', 'a MetricsRecorder or a RemoteRecorder', value);
}

function checkReaders(value: unknown): Partial<ProcessReaders> {
  const o = readOptions('options.readers', value, PROCESS_READER_KEYS);
  const out: Record<string, unknown> = {};
  for (const key of PROCESS_READER_KEYS) {
    const v = o[key];
    if (v === undefined) continue;
    if (key === 'gc$') {
      if (
        v === null ||
        typeof v !== 'object' ||
        typeof (v as { subscribe?: unknown }).subscribe !== 'function'
      ) {
        throw typeError('options.readers.gc$', 'an Observable of GC pauses', v);
      }
    } else checkFunction(`options.readers.${key}`, v);
    out[key] = v;
  }
  return out as Partial<ProcessReaders>;
}

const finiteOr0 = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

const MEMORY_FIELDS = ['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'] as const;

/** The `keys` of a reader's reading, each a finite number (0 for anything else). */
function finiteFields<K extends string>(
  reading: { readonly [P in K]: unknown },
  keys: readonly K[],
): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of keys) out[key] = finiteOr0(reading[key]);
  return out;
}

/**
 * Samples the Node process every `intervalMs` (and once at once) and emits what it reads as plain
 * events into `recorder` ({@link ProcessMetricEvent}s: memory, CPU time since the previous sample,
 * event-loop delay and utilization, active resources; each GC pause as it happens). On a
 * `MetricsRecorder` it first registers {@link processMetricDefinitions}, which aggregate them; on a
 * `RemoteRecorder` of a `WorkerMetricsRuntime` the worker's metrics module must return those
 * definitions (the sampling runs on this thread, the aggregation in the worker).
 *
 * Timers are unref'd (never keeping the process alive). Sampling stops on `stop()`, and by itself when
 * the recorder is disposed (or a remote recorder's facade closes). A reader that throws skips its
 * reading; nothing is ever thrown into the timer. Use one sampler per recorder.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { MetricsRecorder } from 'mvx-common';
 * import { processMetrics } from 'mvx-common/node';
 *
 * const recorder = new MetricsRecorder('process');
 * const sampler = processMetrics(recorder, { intervalMs: 5_000 }); // registers the metrics, samples now and every 5 s
 * console.log(recorder.getMetricSnapshot('process.memory.usage') !== undefined); // → true
 * sampler.stop(); // also stops when the recorder stops
 * await recorder.dispose();
 * ```
 * @throws TypeError / RangeError naming `recorder` or the bad option; `RecorderInvalidStateError` when
 * the definitions are to be registered on a `MetricsRecorder` that no longer accepts metrics.
 */
export function processMetrics<E extends MetricEvent>(
  recorder: MetricsRecorder<E> | RemoteRecorder<E>,
  options?: ProcessMetricsOptions,
): ProcessMetricsSampler {
  const target = checkRecorder(recorder);
  const o = readOptions('options', options, OPTION_KEYS);
  const intervalMs = orDefault(o.intervalMs, DEFAULT_PROCESS_METRICS_INTERVAL_MS, (v) =>
    checkPositiveInteger('options.intervalMs', v),
  );
  const scheduler = orDefault<SchedulerLike>(o.scheduler, unrefTimerScheduler, (v) =>
    checkScheduler('options.scheduler', v),
  );
  const given = orDefault(o.readers, {}, checkReaders);
  const local = target instanceof MetricsRecorder;
  const register = orDefault(o.register, local, (v) => {
    if (typeof v !== 'boolean') throw typeError('options.register', 'a boolean', v);
    if (v && !local)
      throw typeError('options.register', 'false for a RemoteRecorder (its metrics live in the worker)', v);
    return v;
  });
  const definitionOptions = resolveDefinitionOptions('options', { gcDurationBuckets: o.gcDurationBuckets });
  if (register) {
    for (const metric of processMetricDefinitions(definitionOptions))
      (target as MetricsRecorder).registerMetric(metric);
  }
  const defaults = nodeProcessReaders(new Set(Object.keys(given)));
  const readers: ProcessReaders = { ...defaults, ...given };
  return new Sampler(target, readers, [defaults, given], intervalMs, scheduler);
}

class Sampler implements ProcessMetricsSampler {
  private readonly subscriptions: Subscription[] = [];
  private previousCpu: { readonly user: number; readonly system: number } | undefined;
  private readonly seenResources = new Set<string>();
  private samples = 0;
  private readerErrors = 0;
  private isStopped = false;

  constructor(
    private readonly recorder: SampledRecorder,
    private readonly readers: ProcessReaders,
    private readonly closers: readonly Partial<ProcessReaders>[],
    intervalMs: number,
    scheduler: SchedulerLike,
  ) {
    this.previousCpu = this.read(() => readers.cpuUsage());
    this.read(() => readers.eventLoopUtilization()); // the baseline of the first interval
    const stopOn = { complete: () => this.stop(), error: () => this.stop() };
    if (recorder.state$ !== undefined) {
      this.subscriptions.push(
        recorder.state$.subscribe({ ...stopOn, next: (s) => s === 'disposed' && this.stop() }),
      );
    } else if (recorder.snapshots$ !== undefined) {
      this.subscriptions.push(recorder.snapshots$.subscribe(stopOn));
    }
    if (this.isStopped) return;
    this.subscriptions.push(
      readers.gc$.subscribe({
        next: (pause) => this.emitGc(pause),
        error: () => this.readerErrors++,
      }),
    );
    this.sample();
    this.subscriptions.push(interval(intervalMs, scheduler).subscribe(() => this.sample()));
  }

  get stopped(): boolean {
    return this.isStopped;
  }

  getStats(): { readonly samples: number; readonly readerErrors: number } {
    return Object.freeze({ samples: this.samples, readerErrors: this.readerErrors });
  }

  sample(): void {
    if (this.isStopped) return;
    this.samples++;
    const r = this.readers;
    const memory = this.read(() => r.memoryUsage());
    if (memory !== undefined) {
      this.emit({ type: 'mvx.process.memory', ...finiteFields(memory, MEMORY_FIELDS) });
    }
    const cpu = this.read(() => r.cpuUsage());
    if (cpu !== undefined) {
      const before = this.previousCpu ?? { user: 0, system: 0 };
      this.previousCpu = cpu;
      for (const mode of ['user', 'system'] as const) {
        const seconds = Math.max(0, finiteOr0(cpu[mode]) - finiteOr0(before[mode])) / 1e6;
        this.emit({ type: 'mvx.process.cpu', mode, seconds });
      }
    }
    const delay = this.read(() => r.eventLoopDelay());
    if (delay !== undefined) {
      this.emit({ type: 'mvx.process.eventloop.delay', ...finiteFields(delay, LOOP_DELAY_FIELDS) });
    }
    const utilization = this.read(() => r.eventLoopUtilization());
    if (typeof utilization === 'number' && Number.isFinite(utilization)) {
      this.emit({ type: 'mvx.process.eventloop.utilization', utilization });
    }
    const resources = this.read(() => r.activeResources());
    if (Array.isArray(resources)) this.emitResources(resources);
  }

  stop(): void {
    if (this.isStopped) return;
    this.isStopped = true;
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
    for (const readers of this.closers) {
      try {
        readers.close?.();
      } catch {
        this.readerErrors++;
      }
    }
  }

  private emitGc(pause: unknown): void {
    if (this.isStopped) return;
    const p = pause as { gcType?: unknown; seconds?: unknown } | null;
    if (p === null || typeof p !== 'object' || typeof p.seconds !== 'number' || !Number.isFinite(p.seconds)) {
      this.readerErrors++;
      return;
    }
    const gcType = typeof p.gcType === 'string' && p.gcType !== '' ? p.gcType : 'unknown';
    this.emit({ type: 'mvx.process.gc', gcType, seconds: Math.max(0, p.seconds) });
  }

  private emitResources(resources: readonly unknown[]): void {
    const counts = new Map<string, number>();
    for (const r of resources) {
      const type = typeof r === 'string' ? r : 'unknown';
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    for (const type of this.seenResources) if (!counts.has(type)) counts.set(type, 0);
    for (const [resource, count] of counts) {
      this.seenResources.add(resource);
      this.emit({ type: 'mvx.process.resources', resource, count });
    }
  }

  private emit(event: ProcessMetricEvent): void {
    try {
      this.recorder.emit(event);
    } catch {
      // emit never throws for mvx recorders; a foreign emitter's failure must not reach the timer
    }
  }

  private read<T>(reader: () => T): T | undefined {
    try {
      return reader();
    } catch {
      this.readerErrors++;
      return undefined;
    }
  }
}
