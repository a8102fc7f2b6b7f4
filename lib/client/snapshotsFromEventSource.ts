import {
  asyncScheduler,
  BehaviorSubject,
  distinctUntilChanged,
  Observable,
  ReplaySubject,
  share,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
} from 'rxjs';
import type { RecorderReading } from '../metrics/source/snapshotSource.js';
import type { MetricSnapshot, MetricSnapshots } from '../metrics/snapshot.js';
import {
  checkFunction,
  checkNonNegativeNumber,
  checkScheduler,
  orDefault,
  rangeError,
  readOptions,
  typeError,
} from '../internal/validate.js';
import { backoffDelay, type BackoffSettings } from './backoff.js';
import {
  SNAPSHOT_STREAM_EVENTS,
  SNAPSHOT_STREAM_PROTOCOL,
  type WireDefinitions,
  type WireHello,
  type WireMetricDefinition,
  type WireRecorderDefinition,
  type WireSnapshot,
} from './protocol.js';
import { SnapshotStreamError } from './SnapshotStreamError.js';

/** The message events an {@link EventSourceLike} delivers (a DOM `MessageEvent` fits). */
export interface MessageEventLike {
  readonly data?: unknown;
}

/**
 * What {@link snapshotsFromEventSource} needs of an `EventSource`: the browser's, or any
 * WHATWG-compatible implementation (such as the `eventsource` npm package in Node).
 */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: string, listener: (event: MessageEventLike) => void): void;
  close(): void;
}

/** An `EventSource` constructor (the global one, or an injected one). */
export type EventSourceConstructor = new (
  url: string,
  init?: { withCredentials?: boolean },
) => EventSourceLike;

/**
 * The connection's state: `idle` (nobody subscribed), `connecting` (an attempt is in flight; `attempt`
 * counts the failed ones before it), `live` (the server's `hello` arrived), `reconnecting` (waiting
 * `retryInMs` before the next attempt), `failed` (gave up after `maxAttempts`, or the server speaks
 * another protocol; the stream errored).
 */
export type ConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'failed';

/** One state of the connection, as `connection$` reports it. */
export interface ConnectionStatus {
  readonly state: ConnectionState;
  /** Consecutive failed attempts (0 once live). */
  readonly attempt: number;
  /** While `reconnecting`: the delay before the next attempt; else null. */
  readonly retryInMs: number | null;
  /** `scheduler.now()` when this status began. */
  readonly since: number;
  /** The server stream of the current (or last) live connection. */
  readonly stream: string | null;
  /** The id of the last snapshot received: the next connection resumes after it. */
  readonly lastEventId: string | null;
  /** What went wrong last (a lost connection, a stale stream, a malformed event), or null. */
  readonly lastError: string | null;
}

/** One tick of the server's snapshot stream, rebuilt into the shape `readSnapshotSource` returns. */
export interface SnapshotUpdate {
  /** The SSE event id, `<stream>:<seq>`. */
  readonly id: string;
  /** The server stream that sent it (changes when the server restarts). */
  readonly stream: string;
  /** Tick number within `stream`. */
  readonly seq: number;
  /** Server time (epoch ms) of the tick. */
  readonly time: number;
  /** Sent as history when the connection opened (older than the connection), not live. */
  readonly replayed: boolean;
  /** One reading per recorder, in the server's order, with full (frozen) snapshots. */
  readonly recorders: readonly RecorderReading[];
}

/** Options of {@link snapshotsFromEventSource}. */
export interface SnapshotEventSourceOptions {
  /** The `EventSource` implementation. @default globalThis.EventSource */
  readonly EventSource?: EventSourceConstructor;
  /** Passed to the `EventSource` (cross-origin cookies). @default false */
  readonly withCredentials?: boolean;
  /** Runs the backoff and staleness timers (a `TestScheduler` in tests). @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
  /** Delay before the first retry. @default 500 */
  readonly initialDelayMs?: number;
  /** Upper bound of every delay. @default 30_000 */
  readonly maxDelayMs?: number;
  /** Growth of the delay per failed attempt (>= 1). @default 2 */
  readonly factor?: number;
  /** Fraction of each delay taken away at random (0 = none, 1 = full jitter). @default 0.5 */
  readonly jitter?: number;
  /** Consecutive failed attempts before the stream errors (`Infinity`: never). @default Infinity */
  readonly maxAttempts?: number;
  /**
   * Reconnect when nothing (not even a heartbeat) arrived for this long. @default the larger of
   * 10 s and three times the server's guaranteed gap (the smaller of its interval and heartbeat)
   */
  readonly staleAfterMs?: number;
}

/**
 * The stream {@link snapshotsFromEventSource} returns: an `Observable` of {@link SnapshotUpdate}s
 * (shared: one connection for all subscribers, which late subscribers join with the latest update
 * replayed; closed when the last unsubscribes) plus the state of that connection.
 */
export interface LiveSnapshotStream extends Observable<SnapshotUpdate> {
  /** The connection's state; replays the current one; never completes. */
  readonly connection$: Observable<ConnectionStatus>;
}

const OPTION_KEYS = [
  'EventSource',
  'withCredentials',
  'scheduler',
  'initialDelayMs',
  'maxDelayMs',
  'factor',
  'jitter',
  'maxAttempts',
  'staleAfterMs',
] as const;

const DEFAULT_STALE_MS = 10_000;

/**
 * Subscribes to a snapshot stream served by `snapshotEventStream` (`mvx-common/dashboard`) at `url`
 * and emits one {@link SnapshotUpdate} per tick: first the history the server kept, then live ticks.
 * Lost, refused and stale connections are retried with bounded exponential backoff and jitter; a
 * retry resumes after the last received tick (`lastEventId` query parameter), so nothing the server
 * still has is missed. The connection's state is on `connection$`. Browser-safe; in Node pass an
 * `EventSource` implementation.
 *
 * ## Example
 * ```ts
 * import { snapshotsFromEventSource } from 'mvx-common';
 *
 * declare const indicator: { textContent: string | null }; // an element of the page
 * const snapshots$ = snapshotsFromEventSource('/dashboard/events');
 * snapshots$.connection$.subscribe((c) => (indicator.textContent = c.state));
 * snapshots$.subscribe((u) => console.log(u.time, u.recorders.map((r) => r.recorderId)));
 * ```
 * @throws TypeError / RangeError naming the bad argument or option.
 */
export function snapshotsFromEventSource(
  url: string | URL,
  options?: SnapshotEventSourceOptions,
): LiveSnapshotStream {
  const href = checkUrl(url);
  const config = readClientOptions(options);
  const status = new BehaviorSubject<ConnectionStatus>(idleStatus(config.scheduler.now(), null));
  const updates$ = new Observable<SnapshotUpdate>((subscriber) => {
    const session = new EventSourceSession(href, config, subscriber, (s) => status.next(s));
    session.connect();
    return () => session.close();
  }).pipe(
    share({
      connector: () => new ReplaySubject<SnapshotUpdate>(1),
      resetOnError: true,
      resetOnComplete: true,
      resetOnRefCountZero: true,
    }),
  );
  const connection$ = status.asObservable().pipe(distinctUntilChanged()); // read-only (a piped subject forwards next())
  return Object.assign(updates$, { connection$ }) as LiveSnapshotStream;
}

interface ClientConfig {
  readonly EventSource: EventSourceConstructor;
  readonly withCredentials: boolean;
  readonly scheduler: SchedulerLike;
  readonly backoff: BackoffSettings;
  readonly maxAttempts: number;
  readonly staleAfterMs: number | undefined;
}

function checkUrl(url: unknown): string {
  if (typeof url === 'string') {
    if (url.trim() === '') throw rangeError('url', 'a non-empty URL', url);
    return url;
  }
  if (typeof URL === 'function' && url instanceof URL) return url.href;
  throw typeError('url', 'a URL string or a URL', url);
}

function checkPositive(param: string, value: unknown): number {
  const n = checkNonNegativeNumber(param, value);
  if (n === 0) throw rangeError(param, 'a positive finite number', value);
  return n;
}

function readClientOptions(options: unknown): ClientConfig {
  const o = readOptions('options', options, OPTION_KEYS);
  const globalES = (globalThis as { EventSource?: unknown }).EventSource;
  const EventSource =
    o.EventSource !== undefined
      ? checkFunction<EventSourceConstructor>('options.EventSource', o.EventSource)
      : typeof globalES === 'function'
        ? (globalES as EventSourceConstructor)
        : undefined;
  if (EventSource === undefined) {
    throw typeError(
      'options.EventSource',
      'an EventSource constructor (this environment has no global EventSource)',
      o.EventSource,
    );
  }
  const withCredentials = orDefault(o.withCredentials, false, (v) => {
    if (typeof v !== 'boolean') throw typeError('options.withCredentials', 'a boolean', v);
    return v;
  });
  const scheduler = orDefault<SchedulerLike>(o.scheduler, asyncScheduler, (v) =>
    checkScheduler<SchedulerLike>('options.scheduler', v),
  );
  const initialDelayMs = orDefault(o.initialDelayMs, 500, (v) => checkPositive('options.initialDelayMs', v));
  const maxDelayMs = orDefault(o.maxDelayMs, Math.max(30_000, initialDelayMs), (v) =>
    checkPositive('options.maxDelayMs', v),
  );
  if (maxDelayMs < initialDelayMs) {
    throw rangeError(
      'options.maxDelayMs',
      `at least \`options.initialDelayMs\` (${initialDelayMs})`,
      maxDelayMs,
    );
  }
  const factor = orDefault(o.factor, 2, (v) => {
    const n = checkNonNegativeNumber('options.factor', v);
    if (n < 1) throw rangeError('options.factor', 'a finite number >= 1', v);
    return n;
  });
  const jitter = orDefault(o.jitter, 0.5, (v) => {
    const n = checkNonNegativeNumber('options.jitter', v);
    if (n > 1) throw rangeError('options.jitter', 'a number between 0 and 1', v);
    return n;
  });
  const maxAttempts = orDefault(o.maxAttempts, Infinity, (v) => {
    if (typeof v !== 'number') throw typeError('options.maxAttempts', 'a positive integer or Infinity', v);
    if (v !== Infinity && (!Number.isInteger(v) || v <= 0)) {
      throw rangeError('options.maxAttempts', 'a positive integer or Infinity', v);
    }
    return v;
  });
  const staleAfterMs =
    o.staleAfterMs === undefined ? undefined : checkPositive('options.staleAfterMs', o.staleAfterMs);
  return {
    EventSource,
    withCredentials,
    scheduler,
    backoff: { initialDelayMs, maxDelayMs, factor, jitter },
    maxAttempts,
    staleAfterMs,
  };
}

function idleStatus(now: number, previous: ConnectionStatus | null): ConnectionStatus {
  return Object.freeze({
    state: 'idle',
    attempt: 0,
    retryInMs: null,
    since: now,
    stream: previous?.stream ?? null,
    lastEventId: null,
    lastError: null,
  });
}

/** Appends `lastEventId=<id>` to `url`'s query (before any fragment). */
function withLastEventId(url: string, id: string | null): string {
  if (id === null) return url;
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const sep = base.includes('?') ? '&' : '?';
  return `${base}${sep}lastEventId=${encodeURIComponent(id)}${fragment}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

interface KnownRecorder {
  readonly definition: WireRecorderDefinition;
  readonly metrics: readonly WireMetricDefinition[];
}

/** One subscription's connection: the EventSource, its listeners, the retry and staleness timers. */
class EventSourceSession {
  private source: EventSourceLike | undefined;
  private attempt = 0;
  private lastEventId: string | null = null;
  private hello: WireHello | undefined;
  private recorders = new Map<string, KnownRecorder>();
  private retryTimer: Subscription | undefined;
  private staleTimer: Subscription | undefined;
  private closed = false;
  private current: ConnectionStatus;
  private readonly listeners: ReadonlyArray<readonly [string, (event: MessageEventLike) => void]>;

  constructor(
    private readonly url: string,
    private readonly config: ClientConfig,
    private readonly subscriber: Subscriber<SnapshotUpdate>,
    private readonly report: (status: ConnectionStatus) => void,
  ) {
    this.current = idleStatus(config.scheduler.now(), null);
    this.listeners = [
      [SNAPSHOT_STREAM_EVENTS.hello, (e) => this.guard(() => this.onHello(e))],
      [SNAPSHOT_STREAM_EVENTS.definitions, (e) => this.guard(() => this.onDefinitions(e))],
      [SNAPSHOT_STREAM_EVENTS.snapshot, (e) => this.guard(() => this.onSnapshot(e))],
      [SNAPSHOT_STREAM_EVENTS.heartbeat, () => this.guard(() => this.armStaleTimer())],
      ['error', () => this.guard(() => this.fail('the connection was lost or refused'))],
    ];
  }

  connect(): void {
    if (this.closed) return;
    this.retryTimer = undefined;
    this.hello = undefined;
    this.setStatus({ state: 'connecting', retryInMs: null });
    let source: EventSourceLike;
    try {
      source = new this.config.EventSource(withLastEventId(this.url, this.lastEventId), {
        withCredentials: this.config.withCredentials,
      });
    } catch (error) {
      this.fail(`cannot open the EventSource: ${messageOf(error)}`);
      return;
    }
    this.source = source;
    for (const [type, listener] of this.listeners) source.addEventListener(type, listener);
    this.armStaleTimer();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dropSource();
    this.retryTimer?.unsubscribe();
    this.retryTimer = undefined;
    this.report(idleStatus(this.config.scheduler.now(), this.current));
  }

  /** Runs a listener body; a bug in it must not escape into the EventSource's dispatch. */
  private guard(body: () => void): void {
    if (this.closed) return;
    try {
      body();
    } catch (error) {
      this.setStatus({ lastError: `internal error: ${messageOf(error)}` });
    }
  }

  private onHello(event: MessageEventLike): void {
    const hello = parse(event);
    if (!isObject(hello) || !isString(hello['stream'])) {
      this.setStatus({ lastError: 'malformed hello event' });
      return;
    }
    if (hello['protocol'] !== SNAPSHOT_STREAM_PROTOCOL) {
      this.giveUp(
        new SnapshotStreamError(
          'UNSUPPORTED_PROTOCOL',
          `The server speaks ${JSON.stringify(hello['protocol'])}, this client ${SNAPSHOT_STREAM_PROTOCOL}`,
          this.attempt,
        ),
      );
      return;
    }
    this.hello = hello as unknown as WireHello;
    if (!this.hello.resumed) this.recorders = new Map();
    this.attempt = 0;
    this.setStatus({ state: 'live', retryInMs: null, stream: this.hello.stream, lastError: null });
    this.armStaleTimer();
  }

  private onDefinitions(event: MessageEventLike): void {
    const defs = parse(event) as WireDefinitions | undefined;
    if (!isObject(defs) || !Array.isArray(defs.recorders)) {
      this.setStatus({ lastError: 'malformed definitions event' });
      return;
    }
    const next = new Map<string, KnownRecorder>();
    for (const r of defs.recorders as unknown[]) {
      if (!isObject(r) || !isString(r['recorderId']) || !Array.isArray(r['metrics'])) continue;
      const metrics = (r['metrics'] as unknown[]).filter(
        (m): m is WireMetricDefinition => isObject(m) && isString(m['name']) && isString(m['kind']),
      );
      next.set(recorderKey(r), { definition: r as unknown as WireRecorderDefinition, metrics });
    }
    this.recorders = next;
    this.armStaleTimer();
  }

  private onSnapshot(event: MessageEventLike): void {
    const hello = this.hello;
    const snap = parse(event) as WireSnapshot | undefined;
    if (
      hello === undefined ||
      !isObject(snap) ||
      !isFiniteNumber(snap.seq) ||
      !isFiniteNumber(snap.time) ||
      !Array.isArray(snap.recorders)
    ) {
      this.setStatus({ lastError: 'malformed snapshot event' });
      return;
    }
    this.armStaleTimer();
    const id = `${hello.stream}:${snap.seq}`;
    this.lastEventId = id;
    const update: SnapshotUpdate = Object.freeze({
      id,
      stream: hello.stream,
      seq: snap.seq,
      time: snap.time,
      replayed: snap.seq <= (isFiniteNumber(hello.latest) ? hello.latest : 0),
      recorders: Object.freeze(this.readings(snap)),
    });
    this.setStatus({ lastEventId: id });
    this.subscriber.next(update);
  }

  private readings(snap: WireSnapshot): RecorderReading[] {
    const out: RecorderReading[] = [];
    for (const values of snap.recorders as unknown[]) {
      if (!isObject(values) || !isString(values['recorderId'])) continue;
      const known = this.recorders.get(recorderKey(values));
      if (known === undefined) continue;
      const dims = isObject(values['values']) ? values['values'] : {};
      const snapshots = Object.create(null) as Record<string, MetricSnapshot>;
      for (const m of known.metrics) {
        if (!Object.hasOwn(dims, m.name)) continue;
        const d = dims[m.name];
        if (!isObject(d)) continue;
        const snapshot: Record<string, unknown> = { name: m.name, kind: m.kind };
        if (m.description !== undefined) snapshot['description'] = m.description;
        if (m.unit !== undefined) snapshot['unit'] = m.unit;
        snapshot['dimensions'] = d;
        snapshots[m.name] = Object.freeze(snapshot) as unknown as MetricSnapshot;
      }
      const def = known.definition;
      const labels = stringLabels(def.labels);
      out.push(
        Object.freeze({
          ...(labels === undefined ? {} : { labels }),
          recorderId: def.recorderId,
          entityId: isString(def.entityId) ? def.entityId : def.recorderId,
          namespace: isString(def.namespace) ? def.namespace : '',
          state: (values['state'] ?? undefined) as RecorderReading['state'],
          stats: (isObject(values['stats']) ? values['stats'] : undefined) as RecorderReading['stats'],
          startTime: isFiniteNumber(values['startTime']) ? values['startTime'] : undefined,
          snapshots: Object.freeze(snapshots) as MetricSnapshots,
        }),
      );
    }
    return out;
  }

  /** The current attempt failed: close it and wait before the next one (or give up). */
  private fail(reason: string): void {
    if (this.closed) return;
    this.dropSource();
    this.attempt += 1;
    if (this.attempt >= this.config.maxAttempts) {
      this.giveUp(
        new SnapshotStreamError(
          'SNAPSHOT_STREAM_FAILED',
          `Gave up after ${this.config.maxAttempts} failed connection attempts: ${reason}`,
          this.attempt,
        ),
        reason,
      );
      return;
    }
    const delay = backoffDelay(this.config.backoff, this.attempt, Math.random());
    this.setStatus({ state: 'reconnecting', retryInMs: delay, lastError: reason });
    this.retryTimer = this.config.scheduler.schedule(() => this.connect(), delay);
  }

  private giveUp(error: SnapshotStreamError, reason?: string): void {
    this.dropSource();
    this.setStatus({ state: 'failed', retryInMs: null, lastError: reason ?? error.message });
    this.closed = true;
    this.subscriber.error(error);
  }

  private armStaleTimer(): void {
    this.staleTimer?.unsubscribe();
    const hello = this.hello;
    const gap = hello === undefined ? 0 : Math.min(hello.intervalMs, hello.heartbeatMs);
    const ms =
      this.config.staleAfterMs ??
      (isFiniteNumber(gap) ? Math.max(DEFAULT_STALE_MS, 3 * gap) : DEFAULT_STALE_MS);
    this.staleTimer = this.config.scheduler.schedule(() => {
      this.staleTimer = undefined;
      this.guard(() => this.fail(`nothing received for ${ms} ms`));
    }, ms);
  }

  private dropSource(): void {
    this.staleTimer?.unsubscribe();
    this.staleTimer = undefined;
    const source = this.source;
    this.source = undefined;
    if (source === undefined) return;
    for (const [type, listener] of this.listeners) {
      try {
        source.removeEventListener(type, listener);
      } catch {
        // a broken implementation cannot stop the close
      }
    }
    const close = (): void => {
      try {
        source.close();
      } catch {
        // likewise
      }
    };
    close();
    // Closed from inside its own `error` dispatch, some implementations (the `eventsource` package)
    // still arm their reconnect timer afterwards; a second close, once the dispatch is over, clears it.
    void Promise.resolve().then(close);
  }

  private setStatus(change: Partial<Omit<ConnectionStatus, 'since'>>): void {
    const prev = this.current;
    const state = change.state ?? prev.state;
    const next: ConnectionStatus = Object.freeze({
      state,
      attempt: this.attempt,
      retryInMs: change.retryInMs !== undefined ? change.retryInMs : prev.retryInMs,
      since: state !== prev.state ? this.config.scheduler.now() : prev.since,
      stream: change.stream !== undefined ? change.stream : prev.stream,
      lastEventId: change.lastEventId !== undefined ? change.lastEventId : prev.lastEventId,
      lastError: change.lastError !== undefined ? change.lastError : prev.lastError,
    });
    this.current = next;
    if (!this.closed) this.report(next);
  }
}

/** A recorder's identity on the wire: its id, and its labels when it has some. */
function recorderKey(r: Record<string, unknown>): string {
  const labels = stringLabels(r['labels']);
  if (labels === undefined) return JSON.stringify([r['recorderId']]);
  return JSON.stringify([
    r['recorderId'],
    ...Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  ]);
}

/** Own string-valued labels as a frozen null-prototype object, or undefined when there are none. */
function stringLabels(value: unknown): { readonly [name: string]: string } | undefined {
  if (!isObject(value)) return undefined;
  const out = Object.create(null) as Record<string, string>;
  let n = 0;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v === 'string') {
      out[key] = v;
      n++;
    }
  }
  return n === 0 ? undefined : Object.freeze(out);
}

function parse(event: MessageEventLike): unknown {
  const data = event?.data;
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
