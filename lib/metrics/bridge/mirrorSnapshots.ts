import { getOwn } from '../../internal/ownProperty.js';
import { deepFreeze } from '../snapshots/jsonSafe.js';
import { BehaviorSubject, distinctUntilChanged, type Observable, type Subscription } from 'rxjs';
import { typeError } from '../../internal/validate.js';
import type { MetricSnapshot, MetricSnapshots } from '../snapshot.js';
import { checkPort, listen, type MessagePortLike } from './MessagePortLike.js';
import { BRIDGE_PROTOCOL, isEnvelope, type SnapshotsMessage } from './protocol.js';

/**
 * Posts every value of `snapshots$` (normally a recorder's `snapshots$`, which replays its latest and
 * emits once per changed batch) over `port`. Unsubscribe the returned subscription to stop. Throws a
 * TypeError naming a bad argument. A post that throws is skipped (the mirror catches up with the next
 * one); it never breaks `snapshots$`.
 *
 * ## Example
 * ```ts
 * // job-worker.ts: the worker owns the recorder and posts its snapshots to the main thread
 * import { parentPort } from 'node:worker_threads';
 * import { MetricsRecorder, postSnapshots } from 'mvx-common';
 *
 * const recorder = new MetricsRecorder('jobs');
 * if (parentPort) {
 *   const posting = postSnapshots(recorder.snapshots$, parentPort);
 *   recorder.state$.subscribe({ complete: () => posting.unsubscribe() }); // stop posting on dispose
 * }
 * ```
 */
export function postSnapshots(snapshots$: Observable<MetricSnapshots>, port: MessagePortLike): Subscription {
  checkSubscribable('snapshots$', snapshots$);
  checkPort('port', port);
  return snapshots$.subscribe((snapshots) => {
    const message: SnapshotsMessage = { mvx: BRIDGE_PROTOCOL, kind: 'snapshots', snapshots };
    try {
      port.postMessage(message);
    } catch {
      // A port that throws (closed, or a hostile one) must not break the recorder's stream; the mirror
      // stays at the last snapshots it received and catches up with the next post.
    }
  });
}

/** Throws a TypeError naming `param` unless `value` has a `subscribe` method (an RxJS Observable). */
function checkSubscribable(param: string, value: unknown): void {
  const expected = 'an Observable of MetricSnapshots (e.g. `recorder.snapshots$`)';
  if (value === null || typeof value !== 'object') throw typeError(param, expected, value);
  let subscribe: unknown;
  try {
    subscribe = (value as { subscribe?: unknown }).subscribe;
  } catch (cause) {
    throw new TypeError(`Reading \`${param}.subscribe\` threw`, { cause });
  }
  if (typeof subscribe !== 'function') throw typeError(param, expected, value);
}

/** The mirrored side of {@link postSnapshots}: the latest snapshots seen on a port. */
export interface SnapshotMirror {
  /** The mirrored snapshots; replays the latest (`{}` until the first arrives); completes on `close()`. */
  readonly snapshots$: Observable<MetricSnapshots>;
  /** The latest mirrored snapshots (synchronous). */
  getMetricSnapshots(): MetricSnapshots;
  /** The latest mirrored snapshot of one metric, or undefined. */
  getMetricSnapshot(name: string): MetricSnapshot | undefined;
  /** Stops listening and completes `snapshots$` (the port itself is left open). Idempotent. */
  close(): void;
}

/**
 * Mirrors the snapshots posted over `port` by {@link postSnapshots}: an observable plus a synchronous
 * getter of the latest mirrored snapshots. Other messages on the port are ignored. Mirrored snapshots are
 * as fresh as the last message: reading them never waits for the other side. Throws a TypeError naming a
 * bad `port`.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { MessageChannel } from 'node:worker_threads';
 * import { filter, firstValueFrom } from 'rxjs';
 * import { counter, MetricsRecorder, mirrorSnapshots, postSnapshots } from 'mvx-common';
 *
 * const { port1, port2 } = new MessageChannel(); // port1 would be in a worker, port2 in the main thread
 * const recorder = new MetricsRecorder('jobs');
 * recorder.registerMetric(counter({ name: 'jobs.done', on: 'job.done' }));
 * const posting = postSnapshots(recorder.snapshots$, port1);
 * const mirror = mirrorSnapshots(port2);
 *
 * recorder.emit({ type: 'job.done' });
 * await firstValueFrom(mirror.snapshots$.pipe(filter((all) => all['jobs.done']?.dimensions['total'] === 1)));
 * // The mirror also answers synchronously, with what it last received:
 * console.log(mirror.getMetricSnapshot('jobs.done')?.dimensions['total']); // → 1
 *
 * posting.unsubscribe();
 * mirror.close();
 * port1.close();
 * await recorder.dispose();
 * ```
 */
export function mirrorSnapshots(port: MessagePortLike): SnapshotMirror {
  checkPort('port', port);
  const latest = new BehaviorSubject<MetricSnapshots>(Object.freeze({}));
  const unlisten = listen(port, (data) => {
    let snapshots: unknown;
    try {
      if (!isEnvelope(data) || data.mvx !== BRIDGE_PROTOCOL || data.kind !== 'snapshots') return;
      snapshots = (data as { snapshots?: unknown }).snapshots;
      if (snapshots === null || typeof snapshots !== 'object' || Array.isArray(snapshots)) return;
      deepFreeze(snapshots); // a structured clone: fresh objects, nobody else holds them
    } catch {
      return; // an unreadable message is ignored: the mirror keeps its last snapshots
    }
    latest.next(snapshots as MetricSnapshots);
  });
  let closed = false;
  return Object.freeze({
    snapshots$: latest.asObservable().pipe(distinctUntilChanged()), // read-only (a piped subject forwards next())
    getMetricSnapshots: () => latest.getValue(),
    getMetricSnapshot: (name: string) => getOwn(latest.getValue(), name),
    close: () => {
      if (closed) return;
      closed = true;
      unlisten();
      latest.complete();
    },
  });
}
