import { checkPositiveInteger, orDefault, readOptions } from '../../internal/validate.js';
import type { LogEvent, LogOutcome } from '../LogEvent.js';
import type { LogLevel } from '../LogLevel.js';
import type { LogSink } from '../types.js';

/**
 * Criteria of {@link MemorySink.filter}: every given field must be equal.
 */
export interface LogEventQuery {
  readonly eventName?: string;
  readonly outcome?: LogOutcome;
  readonly level?: LogLevel;
  readonly namespace?: string | null;
  readonly entityId?: string | null;
}

/**
 * Keeps events in memory; made for tests and debugging.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { LogContext, MemorySink } from 'mvx-common/logger';
 *
 * const sink = new MemorySink();
 * const ctx = LogContext.root({ sink });
 * ctx.warning('cache.miss', { key: 'a' });
 * ctx.info('cache.hit', { key: 'b' });
 * console.log(sink.filter({ eventName: 'cache.miss' }).length, sink.filter({ level: 'info' }).length); // → 1 1
 * sink.clear();
 * console.log(sink.events.length); // → 0
 * ```
 */
export class MemorySink implements LogSink {
  /** Oldest events are dropped beyond this count. @default 10_000 */
  readonly capacity: number;
  private readonly stored: LogEvent[] = [];

  /** @throws TypeError for an unknown option or a non-number capacity; RangeError for a bad capacity */
  constructor(options: { readonly capacity?: number } = {}) {
    const o = readOptions('options', options, ['capacity']);
    this.capacity = orDefault(o.capacity, 10_000, (v) => checkPositiveInteger('options.capacity', v));
  }

  /** Events received so far, oldest first (a copy). */
  get events(): readonly LogEvent[] {
    return [...this.stored];
  }

  log(event: LogEvent): void {
    this.stored.push(event);
    if (this.stored.length > this.capacity) this.stored.shift();
  }

  /** Forgets every stored event. */
  clear(): void {
    this.stored.length = 0;
  }

  /** Stored events matching every given field of `query`, or the predicate. */
  filter(query: LogEventQuery | ((event: LogEvent) => boolean)): LogEvent[] {
    if (typeof query === 'function') return this.stored.filter(query);
    return this.stored.filter(
      (e) =>
        (query.eventName === undefined || e.meta.eventName === query.eventName) &&
        (query.outcome === undefined || e.outcome === query.outcome) &&
        (query.level === undefined || e.level === query.level) &&
        (query.namespace === undefined || e.meta.namespace === query.namespace) &&
        (query.entityId === undefined || e.meta.entityId === query.entityId),
    );
  }

  /** `[eventName, outcome]` pairs in order; handy for asserting lifecycles. */
  trail(): [string, LogOutcome][] {
    return this.stored.map((e) => [e.meta.eventName, e.outcome]);
  }
}
