import type { LogContext } from '../../logger/LogContext.js';
import { readSnapshotSource, type SnapshotSource } from '../../metrics/source/snapshotSource.js';
import type { MetricSnapshot } from '../../metrics/snapshot.js';
import { labelsKey, NO_LABELS, type FamilyDraft, type Labels } from './familyDraft.js';
import { MetricsRecorder } from '../../metrics/recorder/MetricsRecorder.js';
import { RuntimeBase } from '../../metrics/runtime/RuntimeBase.js';
import {
  addHealth,
  addRuntimeState,
  addMetricLosses,
  exporterErrorsFamily,
  HEALTH_LABELS,
  healthFamilies,
} from './healthFamilies.js';
import {
  kindOf,
  labelRenames,
  mapBuiltin,
  mapCustom,
  withLabels,
  type SkippedDimension,
} from './mapSnapshot.js';

/** Why a family or series was left out of a scrape (the `reason` label of `mvx_exporter_errors_total`). */
export type ExportErrorReason =
  | 'invalid_snapshot'
  | 'invalid_value'
  | 'name_collision'
  | 'type_conflict'
  | 'duplicate_series'
  | 'name_taken';

/** One thing left out of a scrape. */
export interface ExportProblem {
  readonly recorderId: string | undefined;
  /** The source metric's name (or the adapter family's name). */
  readonly metric: string;
  /** The Prometheus family concerned, when known. */
  readonly family: string | undefined;
  readonly reason: ExportErrorReason;
  readonly message: string;
  /** A clash with the registry or with another exposure (refused at `exposeToPrometheus` time). */
  readonly conflict?: boolean;
}

/** Log event names of the Prometheus exporter. */
export const PROMETHEUS_LOG_EVENTS = Object.freeze({
  /** A metric family or series was left out of a scrape (logged when it starts failing). */
  metricSkipped: 'prometheus_exporter.metric_skipped',
} as const);

/** What an exposure was configured with (validated). */
export interface ExposureConfig {
  readonly prefix: string;
  readonly labels: Labels;
  readonly includeStats: boolean;
  readonly logContext: LogContext | null;
}

/** One snapshot's mapping (cached per snapshot object and base labels). */
interface Mapped {
  readonly base: Labels;
  readonly name: string;
  readonly drafts: readonly FamilyDraft[];
  /** Built-in kinds export their refused / overflow / evicted counts. */
  readonly losses: boolean;
  readonly problems: readonly ExportProblem[];
}

/** The labels every series of a reading starts with, and the names the adapter sets itself. */
const BASE_RESERVED: ReadonlySet<string> = new Set(['le', 'quantile', 'outcome', ...HEALTH_LABELS]);

/**
 * One `exposeToPrometheus` call: reads its source at each scrape and turns the readings into family
 * drafts; keeps its exporter error counts and logs each problem once when it starts.
 * (Internal to the adapter: not exported from the entry point.)
 */
export class Exposure {
  closed = false;
  private readonly errorCounts = new Map<
    string,
    { metric: string; reason: ExportErrorReason; count: number }
  >();
  private failing = new Set<string>();
  private nowFailing = new Set<string>();
  private readonly mappings = new WeakMap<object, Mapped>();
  private readonly bases = new Map<string, Labels>();

  constructor(
    readonly source: SnapshotSource,
    readonly config: ExposureConfig,
  ) {}

  /** This exposure's families for one scrape (never throws; problems go to `problems`). */
  collect(problems: ExportProblem[]): Map<string, FamilyDraft> {
    const { prefix, includeStats } = this.config;
    const families = new Map<string, FamilyDraft>();
    const health = includeStats ? healthFamilies(prefix) : undefined;
    let readings: ReturnType<typeof readSnapshotSource>;
    try {
      readings = readSnapshotSource(this.source);
    } catch {
      readings = [];
    }
    if (health && this.source instanceof RuntimeBase) {
      try {
        addRuntimeState(health, this.source.namespace, this.source.getStatus(), this.config.labels);
      } catch {
        // A runtime whose state cannot be read exports none.
      }
    }
    for (const reading of readings) {
      let base: Labels;
      let snapshots: [string, MetricSnapshot][];
      try {
        base = this.baseLabels(reading.recorderId, reading.labels);
        snapshots = Object.entries(reading.snapshots);
      } catch (error) {
        problems.push(problem(reading.recorderId, '', undefined, 'invalid_snapshot', error));
        continue;
      }
      if (health) addHealth(health, reading, base);
      for (const [key, snapshot] of snapshots) {
        this.addMetric(families, health, reading.recorderId, key, snapshot, base, problems);
      }
    }
    if (health) {
      for (const f of health.values()) {
        if (families.has(f.name)) {
          problems.push(
            problem(
              undefined,
              families.get(f.name)!.origin,
              f.name,
              'name_collision',
              `\`${f.name}\` is the exporter's own family`,
            ),
          );
        }
        families.set(f.name, f);
      }
    }
    if (!(this.source instanceof MetricsRecorder || this.source instanceof RuntimeBase)) {
      for (const family of families.values()) dropDuplicates(family, problems);
    }
    return families;
  }

  private addMetric(
    families: Map<string, FamilyDraft>,
    health: Map<string, FamilyDraft> | undefined,
    recorderId: string,
    key: string,
    snapshot: MetricSnapshot,
    base: Labels,
    problems: ExportProblem[],
  ): void {
    const mapped = this.mapped(key, snapshot, base);
    for (const m of mapped.problems) problems.push({ ...m, recorderId });
    if (mapped.losses && health) addMetricLosses(health, snapshot, base);
    for (const draft of mapped.drafts) {
      const existing = families.get(draft.name);
      if (existing === undefined) {
        // A fresh family per scrape: the cached drafts (and their series) are never changed.
        families.set(draft.name, { ...draft, series: draft.series.slice() });
      } else if (existing.type !== draft.type) {
        problems.push(
          problem(
            recorderId,
            mapped.name,
            draft.name,
            'type_conflict',
            `\`${draft.name}\` is already a ${existing.type}`,
          ),
        );
      } else if (existing.origin !== draft.origin) {
        problems.push(
          problem(
            recorderId,
            mapped.name,
            draft.name,
            'name_collision',
            `\`${draft.name}\` is already used by metric \`${existing.origin}\``,
          ),
        );
      } else {
        for (const s of draft.series) existing.series.push(s);
      }
    }
  }

  /**
   * The families of one snapshot, mapped once per snapshot object: snapshots are immutable, and a
   * recorder republishes only the metrics that changed, so an unchanged metric costs a lookup.
   */
  private mapped(key: string, snapshot: MetricSnapshot, base: Labels): Mapped {
    const cacheable = snapshot !== null && typeof snapshot === 'object';
    const hit = cacheable ? this.mappings.get(snapshot) : undefined;
    if (hit !== undefined && hit.base === base) return hit;
    let name = key;
    let result: Mapped;
    try {
      if (!cacheable) throw new Error('not a snapshot object');
      if (typeof snapshot.name !== 'string') throw new Error('the snapshot has no `name`');
      name = snapshot.name;
      const ctx = { prefix: this.config.prefix, base };
      const kind = kindOf(snapshot);
      const skipped: SkippedDimension[] = [];
      const renamedBefore = labelRenames();
      const drafts =
        kind === undefined ? mapCustom(snapshot, ctx, skipped) : [mapBuiltin(snapshot, kind, ctx)];
      const found = skipped.map((s) => problem(undefined, name, undefined, 'invalid_value', s.message));
      // A custom metric's own `series`, or label names made equal, may repeat a label set.
      if (kind === undefined || labelRenames() !== renamedBefore)
        for (const d of drafts) dropDuplicates(d, found);
      result = { base, name, drafts, losses: kind !== undefined, problems: found };
    } catch (error) {
      result = {
        base,
        name,
        drafts: [],
        losses: false,
        problems: [problem(undefined, name, undefined, 'invalid_snapshot', error)],
      };
    }
    if (cacheable) this.mappings.set(snapshot, result);
    return result;
  }

  /**
   * Constant labels, `recorder`, then the reading's own labels (renamed when they clash): one frozen
   * object per recorder, the same at every scrape (it keys the mapping cache, and prom-client formats a
   * label set once per object).
   */
  private baseLabels(recorderId: string, extra: unknown): Labels {
    const cacheKey = extra === undefined ? recorderId : `${recorderId}\u0000${JSON.stringify(extra)}`;
    let base = this.bases.get(cacheKey);
    if (base === undefined) {
      const own: Labels = { ...this.config.labels, recorder: recorderId };
      base = Object.freeze(extra === undefined ? own : withLabels(own, extra, BASE_RESERVED));
      if (this.bases.size >= 10_000) this.bases.clear();
      this.bases.set(cacheKey, base);
    }
    return base;
  }

  /**
   * Counts this scrape's problems, logs the ones that were not failing at the previous scrape, and
   * returns the exporter-errors family.
   */
  settle(problems: readonly ExportProblem[]): FamilyDraft {
    for (const p of problems) {
      const key = `${p.metric}\u0000${p.reason}`;
      const entry = this.errorCounts.get(key);
      if (entry) entry.count++;
      else this.errorCounts.set(key, { metric: p.metric, reason: p.reason, count: 1 });
      const logKey = `${p.recorderId ?? ''}\u0000${key}\u0000${p.family ?? ''}`;
      this.nowFailing.add(logKey);
      if (!this.failing.has(logKey)) this.log(p);
    }
    [this.failing, this.nowFailing] = [this.nowFailing, this.failing];
    this.nowFailing.clear();
    return this.errorsFamily();
  }

  /** The exporter-errors family with the counts so far. */
  errorsFamily(): FamilyDraft {
    const family = exporterErrorsFamily(this.config.prefix);
    for (const { metric, reason, count } of this.errorCounts.values()) {
      const labels = { ...this.config.labels, metric, reason };
      family.series.push({ labels, samples: [{ value: count, labels: NO_LABELS, sharedLabels: labels }] });
    }
    return family;
  }

  private log(p: ExportProblem): void {
    const context = this.config.logContext;
    if (context === null) return;
    try {
      context.warning(PROMETHEUS_LOG_EVENTS.metricSkipped, {
        recorderId: p.recorderId ?? null,
        metric: p.metric,
        family: p.family ?? null,
        reason: p.reason,
        message: p.message,
      });
    } catch {
      // Logging never fails a scrape.
    }
  }
}

/**
 * Removes the series whose labels repeat an earlier series' (a recorder's or a runtime's series are
 * unique by construction: the `recorder` label differs between recorders, and the kinds keep one
 * series per label set; a `RecorderReadingsProvider` may repeat a recorder id or a label set).
 */
function dropDuplicates(family: FamilyDraft, problems: ExportProblem[]): void {
  const keys = new Set<string>();
  let duplicates = 0;
  const kept = family.series.filter((s) => {
    const key = labelsKey(s.labels);
    if (keys.has(key)) {
      duplicates++;
      return false;
    }
    keys.add(key);
    return true;
  });
  if (duplicates === 0) return;
  family.series.length = 0;
  family.series.push(...kept);
  problems.push(
    problem(
      undefined,
      family.origin,
      family.name,
      'duplicate_series',
      `${duplicates} series of \`${family.name}\` have the labels of another series`,
    ),
  );
}

/** An {@link ExportProblem}; `error` may be anything a snapshot's getters threw. */
export function problem(
  recorderId: string | undefined,
  metric: string,
  family: string | undefined,
  reason: ExportErrorReason,
  error: unknown,
): ExportProblem {
  return { recorderId, metric, family, reason, message: messageOf(error) };
}

function messageOf(error: unknown): string {
  try {
    if (typeof error === 'string') return error;
    if (error instanceof Error) return error.message;
    return String(error);
  } catch {
    return 'unreadable error';
  }
}
