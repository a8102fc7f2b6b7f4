import { builtinKindOf, type BuiltinKind } from '../../metrics/kinds/builtinKindOf.js';
import { mergeSnapshots } from '../../metrics/kinds/mergeSnapshots.js';
import type { RecorderState, RecorderStats } from '../../metrics/recorder/types.js';
import { deepFreeze } from './deepFreeze.js';
import type { RecorderReading } from '../../metrics/source/snapshotSource.js';
import type { MetricSnapshot, MetricSnapshots } from '../../metrics/snapshot.js';

/** Kinds whose counts only grow: a dead worker's last counts stay in the merged view. */
const MONOTONIC: ReadonlySet<BuiltinKind> = new Set(['counter', 'histogram', 'quantiles', 'outcomeCounter']);

/** Stats that only grow (a dead worker's stay); `pending` and `capacity` describe live processes only. */
const MONOTONIC_STATS = ['offered', 'accepted', 'processed', 'dropped', 'rejected', 'metricErrors'] as const;

/** When workers disagree, the state a merged recorder shows: the first one any live worker is in. */
const STATE_PRIORITY: readonly RecorderState[] = [
  'failure',
  'running',
  'starting',
  'stopping',
  'virgin',
  'stopped',
  'disposed',
];

/** A per-worker part of a recorder: what could not be merged, labelled `worker`. */
interface WorkerPart {
  readonly state: RecorderState | undefined;
  readonly startTime: number | undefined;
  readonly snapshots: Map<string, MetricSnapshot>;
}

/** What dead workers left of one recorder. */
interface Retired {
  entityId: string;
  namespace: string;
  startTime: number | undefined;
  stats: { -readonly [K in keyof RecorderStats]: number } | undefined;
  /** Merged monotonic snapshots of every dead worker. */
  readonly merged: Map<string, MetricSnapshot>;
  /** Unmergeable snapshots kept per dead worker (custom metrics other than gauges). */
  readonly perWorker: Map<string, WorkerPart>;
}

const mergeable = (s: MetricSnapshot): boolean => builtinKindOf(s) !== undefined;

function toSnapshots(map: ReadonlyMap<string, MetricSnapshot>): MetricSnapshots {
  const out: Record<string, MetricSnapshot> = {};
  for (const [k, v] of map)
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** `merge` over `parts`, or undefined when any pair cannot be merged (different settings or kinds). */
function mergeAll(parts: readonly MetricSnapshot[]): MetricSnapshot | undefined {
  try {
    return parts.reduce((a, b) => mergeSnapshots(a, b));
  } catch {
    return undefined;
  }
}

/**
 * The merged view of the readings every cluster worker reported: per recorder id, built-in metrics
 * merged with `mergeSnapshots` and stats summed over the workers; what cannot be merged (custom
 * metrics, or snapshots whose settings differ between workers) stays per worker in extra readings
 * labelled `{ worker: '<id>' }`. A worker that exits is retired: its counters, histograms, quantile
 * sketches and outcome counters (and custom metrics other than gauges) keep their last counts, its
 * stats keep their totals (its last pending events count as dropped); its gauges, up-down counters and
 * rates, which describe a live process, leave the view.
 * @internal
 */
export class ClusterView {
  private readonly live = new Map<string, readonly RecorderReading[]>();
  private readonly retired = new Map<string, Retired>();
  private cache: readonly RecorderReading[] | undefined;

  /** Replaces a worker's readings (its latest report). */
  update(workerId: string, readings: readonly RecorderReading[]): void {
    this.live.set(workerId, readings);
    this.cache = undefined;
  }

  /** Whether a worker is live (reported and not retired). */
  has(workerId: string): boolean {
    return this.live.has(workerId);
  }

  /** Moves a worker's last readings to the retired part (see the class description). */
  retire(workerId: string): void {
    const readings = this.live.get(workerId);
    if (readings === undefined) return;
    this.live.delete(workerId);
    this.cache = undefined;
    for (const r of readings) this.retireReading(workerId, r);
  }

  private retireReading(workerId: string, reading: RecorderReading): void {
    let r = this.retired.get(reading.recorderId);
    if (r === undefined) {
      r = {
        entityId: reading.entityId,
        namespace: reading.namespace,
        startTime: undefined,
        stats: undefined,
        merged: new Map(),
        perWorker: new Map(),
      };
      this.retired.set(reading.recorderId, r);
    }
    r.startTime = minOf(r.startTime, reading.startTime);
    if (reading.stats !== undefined) {
      const s = (r.stats ??= {
        offered: 0,
        accepted: 0,
        processed: 0,
        dropped: 0,
        rejected: 0,
        pending: 0,
        capacity: 0,
        metricErrors: 0,
      });
      for (const f of MONOTONIC_STATS) s[f] += reading.stats[f];
      s.dropped += reading.stats.pending; // accepted, never processed: lost with the process
    }
    const kept = new Map<string, MetricSnapshot>();
    for (const [name, snapshot] of Object.entries(reading.snapshots)) {
      const kind = builtinKindOf(snapshot);
      if (kind === undefined) {
        if (snapshot.kind !== 'gauge') kept.set(name, snapshot);
        continue;
      }
      if (!MONOTONIC.has(kind)) continue;
      const before = r.merged.get(name);
      const merged = before === undefined ? snapshot : mergeAll([before, snapshot]);
      if (merged === undefined) kept.set(name, snapshot);
      else r.merged.set(name, deepFreeze(merged));
    }
    if (kept.size > 0)
      r.perWorker.set(workerId, { state: undefined, startTime: reading.startTime, snapshots: kept });
  }

  /** The merged readings (cached until the next update or retirement). */
  read(): readonly RecorderReading[] {
    this.cache ??= Object.freeze(this.compute());
    return this.cache;
  }

  private compute(): RecorderReading[] {
    const ids: string[] = [];
    const seen = new Set<string>();
    const byId = new Map<string, [string, RecorderReading][]>();
    for (const [workerId, readings] of this.live) {
      for (const r of readings) {
        if (!seen.has(r.recorderId)) {
          seen.add(r.recorderId);
          ids.push(r.recorderId);
        }
        let list = byId.get(r.recorderId);
        if (list === undefined) byId.set(r.recorderId, (list = []));
        list.push([workerId, r]);
      }
    }
    for (const id of this.retired.keys()) {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
    const out: RecorderReading[] = [];
    for (const id of ids) this.mergeRecorder(id, byId.get(id) ?? [], this.retired.get(id), out);
    return out;
  }

  private mergeRecorder(
    recorderId: string,
    parts: readonly [string, RecorderReading][],
    retired: Retired | undefined,
    out: RecorderReading[],
  ): void {
    const names: string[] = [];
    const byName = new Map<string, [string, MetricSnapshot][]>();
    for (const [workerId, r] of parts) {
      for (const [name, s] of Object.entries(r.snapshots)) {
        let list = byName.get(name);
        if (list === undefined) {
          byName.set(name, (list = []));
          names.push(name);
        }
        list.push([workerId, s]);
      }
    }
    for (const name of retired?.merged.keys() ?? []) {
      if (byName.has(name)) continue;
      byName.set(name, []);
      names.push(name);
    }

    const merged = new Map<string, MetricSnapshot>();
    const perWorker = new Map<string, WorkerPart>();
    const partOf = (workerId: string, reading: RecorderReading | undefined): WorkerPart => {
      let p = perWorker.get(workerId);
      if (p === undefined) {
        p = { state: reading?.state, startTime: reading?.startTime, snapshots: new Map() };
        perWorker.set(workerId, p);
      }
      return p;
    };
    const readingOf = new Map(parts);
    for (const name of names) {
      const live = byName.get(name)!;
      const old = retired?.merged.get(name);
      const all = [...live.map(([, s]) => s), ...(old === undefined ? [] : [old])];
      const result = all.every(mergeable) ? (all.length === 1 ? all[0] : mergeAll(all)) : undefined;
      if (result !== undefined) {
        merged.set(name, result);
        continue;
      }
      for (const [workerId, s] of live) partOf(workerId, readingOf.get(workerId)).snapshots.set(name, s);
      if (old !== undefined) partOf('retired', undefined).snapshots.set(name, old);
    }
    for (const [workerId, part] of retired?.perWorker ?? []) {
      const p = partOf(workerId, undefined);
      for (const [name, s] of part.snapshots) if (!p.snapshots.has(name)) p.snapshots.set(name, s);
    }

    const first = parts[0]?.[1];
    out.push(
      deepFreeze({
        recorderId,
        entityId: first?.entityId ?? retired!.entityId,
        namespace: first?.namespace ?? retired!.namespace,
        state: mergeStates(parts.map(([, r]) => r.state)),
        stats: sumStats(
          parts.map(([, r]) => r.stats),
          retired?.stats,
        ),
        startTime: parts.reduce<number | undefined>((m, [, r]) => minOf(m, r.startTime), retired?.startTime),
        snapshots: toSnapshots(merged),
      }),
    );
    for (const [workerId, part] of perWorker) {
      if (part.snapshots.size === 0) continue;
      out.push(
        deepFreeze({
          recorderId,
          entityId: first?.entityId ?? retired!.entityId,
          namespace: first?.namespace ?? retired!.namespace,
          state: part.state,
          stats: undefined,
          startTime: part.startTime,
          snapshots: toSnapshots(part.snapshots),
          labels: { worker: workerId },
        }),
      );
    }
  }
}

function minOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

function mergeStates(states: readonly (RecorderState | undefined)[]): RecorderState | undefined {
  for (const s of STATE_PRIORITY) if (states.includes(s)) return s;
  return states.find((s) => s !== undefined);
}

function sumStats(
  live: readonly (RecorderStats | undefined)[],
  retired: RecorderStats | undefined,
): RecorderStats | undefined {
  const all = [...live, retired].filter((s): s is RecorderStats => s !== undefined);
  if (all.length === 0) return undefined;
  const out = {
    offered: 0,
    accepted: 0,
    processed: 0,
    dropped: 0,
    rejected: 0,
    pending: 0,
    capacity: 0,
    metricErrors: 0,
  };
  for (const s of all) for (const f of Object.keys(out) as (keyof RecorderStats)[]) out[f] += s[f];
  return out;
}
