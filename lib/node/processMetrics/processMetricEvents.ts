import type { EventLoopDelayReading, MemoryReading } from './processReaders.js';

/**
 * The events `processMetrics` emits (plain objects; the process metric definitions aggregate them).
 * Durations are in seconds, sizes in bytes.
 */

/** A `process.memoryUsage()` sample, in bytes. */
export interface ProcessMemoryEvent extends MemoryReading {
  readonly type: 'mvx.process.memory';
}

/** CPU time spent in one mode since the previous sample, in seconds. */
export interface ProcessCpuEvent {
  readonly type: 'mvx.process.cpu';
  readonly mode: 'user' | 'system';
  readonly seconds: number;
}

/** Event-loop delay statistics since the previous sample, in seconds. */
export interface EventLoopDelayEvent extends EventLoopDelayReading {
  readonly type: 'mvx.process.eventloop.delay';
}

/** Event-loop utilization since the previous sample, in [0, 1]. */
export interface EventLoopUtilizationEvent {
  readonly type: 'mvx.process.eventloop.utilization';
  readonly utilization: number;
}

/** One garbage collection pause. */
export interface GcPauseEvent {
  readonly type: 'mvx.process.gc';
  /** `'major'`, `'minor'`, `'incremental'`, `'weakcb'` (or another V8 kind). */
  readonly gcType: string;
  readonly seconds: number;
}

/** How many active resources of one type the process holds (0 once a type seen before is gone). */
export interface ActiveResourcesEvent {
  readonly type: 'mvx.process.resources';
  readonly resource: string;
  readonly count: number;
}

/**
 * Every event `processMetrics` emits.
 */
export type ProcessMetricEvent =
  | ProcessMemoryEvent
  | ProcessCpuEvent
  | EventLoopDelayEvent
  | EventLoopUtilizationEvent
  | GcPauseEvent
  | ActiveResourcesEvent;
