import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { Observable } from 'rxjs';

/** A `process.memoryUsage()` reading, in bytes. */
export interface MemoryReading {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** Event-loop delay statistics over an interval, in seconds. */
export interface EventLoopDelayReading {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly stddev: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/** One garbage collection pause. */
export interface GcPause {
  /** `'major'`, `'minor'`, `'incremental'`, `'weakcb'` (or another V8 kind). */
  readonly gcType: string;
  readonly seconds: number;
}

/**
 * Where `processMetrics` reads the process. The defaults read Node (`process.memoryUsage`,
 * `process.cpuUsage`, `perf_hooks.monitorEventLoopDelay`, `performance.eventLoopUtilization`,
 * `process.getActiveResourcesInfo`, a `PerformanceObserver` on `'gc'` entries); tests inject their own
 * to make every emitted event deterministic.
 */
export interface ProcessReaders {
  /** Memory in bytes now. */
  memoryUsage(): MemoryReading;
  /** CPU time used since the process started, in microseconds (as `process.cpuUsage()`). */
  cpuUsage(): { readonly user: number; readonly system: number };
  /** Delay statistics since the previous call (which they reset), or undefined when nothing was measured. */
  eventLoopDelay(): EventLoopDelayReading | undefined;
  /** Utilization in [0, 1] since the previous call, or undefined on the first call. */
  eventLoopUtilization(): number | undefined;
  /** The types of the active resources (one entry per resource), or undefined when unavailable. */
  activeResources(): readonly string[] | undefined;
  /** Garbage collection pauses as they happen (subscribed while sampling runs). */
  readonly gc$: Observable<GcPause>;
  /** Releases what the readers hold; called when sampling stops. */
  close?(): void;
}

/** The keys of {@link ProcessReaders}. @internal */
export const PROCESS_READER_KEYS = [
  'memoryUsage',
  'cpuUsage',
  'eventLoopDelay',
  'eventLoopUtilization',
  'activeResources',
  'gc$',
  'close',
] as const;

const GC_TYPES = new Map<number, string>([
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

/** GC pauses from a `PerformanceObserver` on `'gc'` entries, observed while subscribed. */
const nodeGc$ = new Observable<GcPause>((subscriber) => {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as { detail?: { kind?: unknown } }).detail;
      const kind = typeof detail?.kind === 'number' ? detail.kind : (entry as { kind?: unknown }).kind;
      const gcType = (typeof kind === 'number' && GC_TYPES.get(kind)) || 'unknown';
      subscriber.next({ gcType, seconds: entry.duration / 1000 });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
});

type EventLoopUtilization = ReturnType<typeof performance.eventLoopUtilization>;

/**
 * The Node readers, except those in `skip` (given by the caller): the event-loop monitor is enabled
 * only when its reader is used, and disabled by `close()`.
 * @internal
 */
export function nodeProcessReaders(skip: ReadonlySet<string>): ProcessReaders {
  const monitor = skip.has('eventLoopDelay') ? undefined : monitorEventLoopDelay({ resolution: 10 });
  monitor?.enable();
  let previousElu: EventLoopUtilization | undefined;
  const getActive = (process as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo;
  return {
    memoryUsage: () => process.memoryUsage(),
    cpuUsage: () => process.cpuUsage(),
    eventLoopDelay() {
      if (monitor === undefined) return undefined;
      const count = (monitor as { count?: number }).count;
      if (count === 0 || !(monitor.max > 0)) return undefined;
      const s = (ns: number): number => ns / 1e9;
      const reading = {
        min: s(monitor.min),
        max: s(monitor.max),
        mean: s(monitor.mean),
        stddev: s(monitor.stddev),
        p50: s(monitor.percentile(50)),
        p90: s(monitor.percentile(90)),
        p99: s(monitor.percentile(99)),
      };
      monitor.reset();
      return reading;
    },
    eventLoopUtilization() {
      const now = performance.eventLoopUtilization();
      const before = previousElu;
      previousElu = now;
      return before === undefined ? undefined : performance.eventLoopUtilization(now, before).utilization;
    },
    activeResources: () => (typeof getActive === 'function' ? getActive.call(process) : undefined),
    gc$: nodeGc$,
    close: () => monitor?.disable(),
  };
}
