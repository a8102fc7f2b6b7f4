import type { Aggregator, FamilyDraft, Labels, SeriesDraft } from './familyDraft.js';
import { labelsKey } from './familyDraft.js';
import { problem, type Exposure, type ExportProblem } from './Exposure.js';
import { PrometheusConflictError } from './errors.js';
import type { PromType } from './promNames.js';

/** What the adapter uses of a prom-client `Registry` (duck-typed: any prom-client 15 copy works). */
export interface RegistryLike {
  registerMetric(metric: unknown): void;
  removeSingleMetric(name: string): void;
  getSingleMetric(name: string): unknown;
  getMetricsAsArray(): unknown[];
  readonly contentType?: unknown;
}

/**
 * A sample as prom-client reads it: for the text format (`getForPromString`), the series labels are
 * `sharedLabels` (prom-client formats them once per series) and `labels` holds only `le` / `quantile`;
 * for `get()` (JSON, cluster aggregation) they are merged into `labels`.
 */
interface PromSample {
  readonly value: number;
  readonly labels: Labels;
  readonly sharedLabels?: Labels;
  readonly metricName?: string;
}

/** What prom-client's registry reads of a metric at each scrape. */
interface MetricValues {
  readonly name: string;
  readonly help: string;
  readonly type: PromType;
  readonly values: PromSample[];
  readonly aggregator: Aggregator;
}

/** One family of a scrape: the merged drafts of every exposure. */
interface PlanFamily {
  readonly name: string;
  readonly type: PromType;
  readonly help: string;
  readonly aggregator: Aggregator;
  readonly series: SeriesDraft[];
  /**
   * Label keys of the series so far: built only once a second exposure contributes (one exposure's
   * series are unique already; see `Exposure.collect`).
   */
  keys: Set<string> | undefined;
  readonly contributors: Set<Exposure>;
}

type Plan = Map<string, PlanFamily>;

const OPENMETRICS = 'application/openmetrics-text';

/** A problem between this exposure and the registry or another exposure. */
function conflict(draft: FamilyDraft, reason: ExportProblem['reason'], message: string): ExportProblem {
  return { ...problem(undefined, draft.origin, draft.name, reason, message), conflict: true };
}

/**
 * The duck-typed metric object registered for one family (`registry.registerMetric`). prom-client reads
 * `name` (and, for OpenMetrics counters, rewrites it without `_total`: hence a plain writable field),
 * `help`, `type`, `aggregator`, and calls `get()` at each scrape and `reset()` on `resetMetrics()`.
 * (Internal to the adapter: not exported from the entry point.)
 */
export class FamilyCollector {
  name: string;
  help: string;
  contributors = new Set<Exposure>();

  constructor(
    private readonly hub: RegistryHub,
    /** The family name (the registry key). */
    readonly key: string,
    readonly type: PromType,
    readonly aggregator: Aggregator,
    help: string,
  ) {
    this.name = key;
    this.help = help;
  }

  /** Fresh samples from the current snapshots, labels merged (never throws). */
  get(): MetricValues {
    return this.hub.valuesOf(this, false);
  }

  /** Fresh samples for the text formats, series labels shared (never throws). */
  getForPromString(): MetricValues {
    return this.hub.valuesOf(this, true);
  }

  /** Nothing to reset: the samples are built from the snapshots at every scrape. */
  reset(): void {}
}

/**
 * Hubs by registry, shared by every copy of this module in the process (a CommonJS and an ES build of
 * the package loaded side by side expose into one registry without clashing).
 */
const HUBS = Symbol.for('mvx-common.prometheus.hubs.v1');
const hubs: WeakMap<object, RegistryHub> = ((globalThis as { [HUBS]?: WeakMap<object, RegistryHub> })[
  HUBS
] ??= new WeakMap<object, RegistryHub>());

/**
 * Everything the adapter registered in one registry, shared by every exposure into it: families are
 * merged across exposures (their series told apart by each exposure's constant labels), built once per
 * scrape from one reading of every source, and registered or removed as metrics come and go.
 *
 * A scrape reads every source once: prom-client calls `getMetricsAsArray()` and then every metric's
 * `get()` synchronously, so the first `get()` of a tick builds the plan and the others reuse it. The
 * hub also wraps the registry's own `getMetricsAsArray()` (an instance property, removed again by the
 * last `close()`), so families that appeared since the last scrape are registered before prom-client
 * lists the metrics: a new metric shows in the very next scrape.
 * (Internal to the adapter: not exported from the entry point.)
 */
export class RegistryHub {
  private readonly exposures: Exposure[] = [];
  private readonly collectors = new Map<string, FamilyCollector>();
  private plan: Plan | undefined;
  private uninstall: (() => void) | undefined;

  private constructor(private readonly registry: RegistryLike) {}

  /** The hub of `registry` (created on first use). */
  static of(registry: RegistryLike): RegistryHub {
    let hub = hubs.get(registry);
    if (hub === undefined) {
      hub = new RegistryHub(registry);
      hubs.set(registry, hub);
    }
    return hub;
  }

  /**
   * Adds an exposure and registers its families. Throws {@link PrometheusConflictError} (and adds
   * nothing) when one of them is already registered by something else, or when its series duplicate
   * another exposure's.
   */
  add(exposure: Exposure): void {
    this.exposures.push(exposure);
    const problems = new Map<Exposure, ExportProblem[]>();
    let plan: Plan;
    try {
      plan = this.build(problems);
    } catch (error) {
      this.exposures.pop();
      throw error;
    }
    const conflicts = (problems.get(exposure) ?? []).filter((p) => p.conflict === true);
    if (conflicts.length > 0) {
      this.exposures.pop();
      throw new PrometheusConflictError(conflicts);
    }
    // Not a scrape: register the families, count nothing, log nothing.
    for (const e of this.exposures) this.merge(plan, e, e.errorsFamily(), [], this.isOpenMetrics());
    this.sync(plan);
    this.install();
  }

  /** Removes an exposure and unregisters the families no other exposure contributes to. */
  remove(exposure: Exposure): void {
    const at = this.exposures.indexOf(exposure);
    if (at < 0) return;
    this.exposures.splice(at, 1);
    this.plan = undefined;
    for (const collector of [...this.collectors.values()]) {
      collector.contributors.delete(exposure);
      if (collector.contributors.size === 0) this.unregister(collector);
    }
    if (this.exposures.length === 0) {
      for (const collector of [...this.collectors.values()]) this.unregister(collector);
      this.uninstall?.();
      this.uninstall = undefined;
      hubs.delete(this.registry);
    }
  }

  /** A collector's samples for the current scrape (`shared`: series labels as `sharedLabels`). */
  valuesOf(collector: FamilyCollector, shared: boolean): MetricValues {
    let values: PromSample[] = [];
    let help = collector.help;
    try {
      const family = this.current().get(collector.key);
      if (
        family !== undefined &&
        family.type === collector.type &&
        this.collectors.get(collector.key) === collector
      ) {
        help = family.help;
        for (const s of family.series) {
          if (shared) for (const x of s.samples) values.push(x);
          else {
            for (const x of s.samples) {
              values.push({ value: x.value, labels: { ...s.labels, ...x.labels }, metricName: x.metricName });
            }
          }
        }
      }
    } catch {
      values = [];
    }
    return {
      name:
        collector.type === 'counter' && this.isOpenMetrics()
          ? collector.key.replace(/_total$/, '')
          : collector.key,
      help,
      type: collector.type,
      values,
      aggregator: collector.aggregator,
    };
  }

  /**
   * The plan of the current scrape: built by the first call of a tick (which also registers new
   * families), reused by the other calls of that tick.
   */
  private current(): Plan {
    if (this.plan !== undefined) return this.plan;
    const problems = new Map<Exposure, ExportProblem[]>();
    const plan = this.build(problems);
    this.settle(plan, problems);
    this.sync(plan);
    this.plan = plan;
    queueMicrotask(() => (this.plan = undefined));
    return plan;
  }

  /** Before a listing: the current plan, with every family registered (after a `clear()` too). */
  private prepare(): void {
    const cached = this.plan;
    const plan = this.current();
    if (plan === cached) this.sync(plan);
  }

  /** Reads every exposure once and merges their families. */
  private build(problems: Map<Exposure, ExportProblem[]>): Plan {
    const plan: Plan = new Map();
    const isOpenMetrics = this.isOpenMetrics();
    for (const exposure of this.exposures) {
      const own: ExportProblem[] = [];
      problems.set(exposure, own);
      let drafts: Map<string, FamilyDraft>;
      try {
        drafts = exposure.collect(own);
      } catch {
        continue;
      }
      for (const draft of drafts.values()) this.merge(plan, exposure, draft, own, isOpenMetrics);
    }
    return plan;
  }

  private merge(
    plan: Plan,
    exposure: Exposure,
    draft: FamilyDraft,
    own: ExportProblem[],
    isOpenMetrics: boolean,
  ): void {
    const foreign = this.foreignOwner(draft.name, draft.type, isOpenMetrics);
    if (foreign) {
      own.push(
        conflict(
          draft,
          'name_taken',
          `\`${draft.name}\` is already registered by another metric in this registry`,
        ),
      );
      return;
    }
    let family = plan.get(draft.name);
    if (family === undefined) {
      family = {
        name: draft.name,
        type: draft.type,
        help: draft.help,
        aggregator: draft.aggregator,
        series: [],
        keys: undefined,
        contributors: new Set(),
      };
      plan.set(draft.name, family);
    } else if (family.type !== draft.type) {
      own.push(
        conflict(
          draft,
          'type_conflict',
          `\`${draft.name}\` is already exported as a ${family.type} by another exposure`,
        ),
      );
      return;
    }
    const first = family.contributors.size === 0;
    family.contributors.add(exposure);
    if (first) {
      for (const s of draft.series) family.series.push(s);
      return;
    }
    family.keys ??= new Set(family.series.map((s) => labelsKey(s.labels)));
    let duplicates = 0;
    for (const s of draft.series) {
      const key = labelsKey(s.labels);
      if (family.keys.has(key)) {
        duplicates++;
        continue;
      }
      family.keys.add(key);
      family.series.push(s);
    }
    if (duplicates > 0) {
      own.push(
        conflict(
          draft,
          'duplicate_series',
          `${duplicates} series of \`${draft.name}\` duplicate series another exposure exports (give each exposure distinguishing \`labels\`)`,
        ),
      );
    }
  }

  /** Whether `name` is registered by a metric that is not one of this hub's collectors. */
  private foreignOwner(name: string, type: PromType, isOpenMetrics: boolean): boolean {
    const owner = this.safeGet(name);
    if (owner !== undefined && owner !== this.collectors.get(name)) return true;
    // In OpenMetrics, a counter registered as `x` prints as `x_total` too.
    if (type === 'counter' && isOpenMetrics) {
      const bare = this.safeGet(name.replace(/_total$/, ''));
      if (bare !== undefined && (bare as { type?: unknown }).type === 'counter') return true;
    }
    return false;
  }

  private safeGet(name: string): unknown {
    try {
      return this.registry.getSingleMetric(name) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** Adds each exposure's exporter-errors family (after every problem of the scrape is known). */
  private settle(plan: Plan, problems: Map<Exposure, ExportProblem[]>): void {
    const isOpenMetrics = this.isOpenMetrics();
    for (const exposure of this.exposures) {
      const family = exposure.settle(problems.get(exposure) ?? []);
      this.merge(plan, exposure, family, [], isOpenMetrics);
    }
  }

  /** Registers the plan's new families and removes the families that left it. */
  private sync(plan: Plan): void {
    for (const family of plan.values()) {
      let collector = this.collectors.get(family.name);
      if (collector !== undefined && collector.type !== family.type) {
        this.unregister(collector);
        collector = undefined;
      }
      if (collector === undefined) {
        collector = new FamilyCollector(this, family.name, family.type, family.aggregator, family.help);
        this.collectors.set(family.name, collector);
      }
      collector.contributors = family.contributors;
      if (this.safeGet(family.name) !== collector) {
        try {
          this.registry.registerMetric(collector);
        } catch {
          // Registered by someone else in between: the next scrape reports it as `name_taken`.
          this.collectors.delete(family.name);
        }
      }
    }
    for (const collector of [...this.collectors.values()]) {
      if (!plan.has(collector.key)) this.unregister(collector);
    }
  }

  private unregister(collector: FamilyCollector): void {
    if (this.collectors.get(collector.key) === collector) this.collectors.delete(collector.key);
    try {
      if (this.registry.getSingleMetric(collector.key) === collector)
        this.registry.removeSingleMetric(collector.key);
    } catch {
      // A registry that cannot remove keeps an empty family (its get() returns no samples).
    }
  }

  private isOpenMetrics(): boolean {
    try {
      const type = this.registry.contentType;
      return typeof type === 'string' && type.startsWith(OPENMETRICS);
    } catch {
      return false;
    }
  }

  /**
   * Wraps the registry's `getMetricsAsArray()` so that every listing (each `metrics()` and
   * `getMetricsAsJSON()` call starts with one) first brings the registered families up to date.
   */
  private install(): void {
    if (this.uninstall !== undefined) return;
    const registry = this.registry as RegistryLike & { getMetricsAsArray: () => unknown[] };
    const hadOwn = Object.hasOwn(registry, 'getMetricsAsArray');
    const original = registry.getMetricsAsArray;
    if (typeof original !== 'function') return;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const hub = this;
    let active = true;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown[] {
      if (active) {
        try {
          hub.prepare();
        } catch {
          // Never fail a listing: the collectors' get() still answer.
        }
      }
      return (original as (...a: unknown[]) => unknown[]).apply(this, args);
    };
    try {
      registry.getMetricsAsArray = wrapped;
    } catch {
      return;
    }
    this.uninstall = () => {
      active = false;
      try {
        if (registry.getMetricsAsArray !== wrapped) return; // wrapped again since: stay inert
        if (hadOwn) registry.getMetricsAsArray = original;
        else delete (registry as { getMetricsAsArray?: unknown }).getMetricsAsArray;
      } catch {
        // Inert wrapper left in place.
      }
    };
  }
}
