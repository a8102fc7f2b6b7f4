import type { Registry, RegistryContentType } from 'prom-client';
import { rangeError, readOptions, typeError } from '../../internal/validate.js';
import { LogContext } from '../../logger/LogContext.js';
import { checkSnapshotSource, type SnapshotSource } from '../../metrics/source/snapshotSource.js';
import type { Labels } from './familyDraft.js';
import { Exposure } from './Exposure.js';
import { loadPromClient } from './loadPromClient.js';
import { LABEL_NAME, NAME_PREFIX } from './promNames.js';
import { RegistryHub, type RegistryLike } from './RegistryHub.js';

/** Options of {@link exposeToPrometheus}. */
export interface PrometheusExposeOptions {
  /**
   * The prom-client registry to register in (a Prometheus-format or an OpenMetrics registry, an
   * `AggregatorRegistry` too).
   * @default prom-client's global `register`
   */
  readonly registry?: Registry<RegistryContentType>;
  /**
   * Prepended to every family name, as given (`'myapp_'` gives `myapp_jobs_total`): letters, digits and
   * `_`, not starting with a digit.
   * @default ''
   */
  readonly prefix?: string;
  /**
   * Constant labels added to every series of this exposure (valid Prometheus label names; not
   * `recorder`, `le`, `quantile`, `outcome`, `metric`, `state`, `reason`, `runtime`, nor starting with `__`).
   * They also tell apart two exposures into one registry whose recorders share ids.
   */
  readonly labels?: { readonly [name: string]: string };
  /**
   * Export recorder health (events offered / accepted / processed / dropped / rejected, metric errors,
   * pending, capacity, state, start time), each metric's refused / overflow / evicted counts, and a
   * runtime source's own state.
   * @default true
   */
  readonly includeStats?: boolean;
  /**
   * Where skipped metrics are logged (event `prometheus_exporter.metric_skipped`, level warning, once
   * when a metric starts failing).
   * @default null (no logging)
   */
  readonly logContext?: LogContext | null;
}

/** A live exposure: {@link exposeToPrometheus}'s handle. */
export interface PrometheusExposure {
  /**
   * Stops exposing: the families only this exposure contributed are unregistered, the others lose its
   * series at the next scrape. Idempotent.
   */
  close(): void;
}

const OPTION_KEYS = ['registry', 'prefix', 'labels', 'includeStats', 'logContext'] as const;

/** Label names the adapter sets itself (refused as constant labels). */
const RESERVED_LABELS: ReadonlySet<string> = new Set([
  'recorder',
  'le',
  'quantile',
  'outcome',
  'metric',
  'state',
  'reason',
  'runtime',
]);

function readFunction(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function checkRegistry(value: unknown): RegistryLike {
  const ok =
    value !== null &&
    typeof value === 'object' &&
    ['registerMetric', 'removeSingleMetric', 'getSingleMetric', 'getMetricsAsArray'].every(
      (m) => typeof readFunction(value, m) === 'function',
    );
  if (!ok) throw typeError('options.registry', 'a prom-client Registry', value);
  return value as RegistryLike;
}

function checkLabels(value: unknown): Labels {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError('options.labels', 'an object of label names to string values', value);
  }
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(value);
  } catch (cause) {
    throw new TypeError('Reading the keys of `options.labels` threw', { cause });
  }
  const out: Labels = {};
  for (const key of keys) {
    if (typeof key !== 'string') throw new TypeError('Expected `options.labels` to have string keys only');
    const param = `options.labels.${key}`;
    if (!LABEL_NAME.test(key) || key.startsWith('__')) {
      throw rangeError(
        `options.labels`,
        'label names of letters, digits and `_` (not starting with a digit or `__`)',
        key,
      );
    }
    if (RESERVED_LABELS.has(key)) {
      throw rangeError(
        'options.labels',
        `label names other than ${[...RESERVED_LABELS].map((l) => `\`${l}\``).join(', ')} (set by the exporter)`,
        key,
      );
    }
    let v: unknown;
    try {
      v = (value as Record<string, unknown>)[key];
    } catch (cause) {
      throw new TypeError(`Reading \`${param}\` threw`, { cause });
    }
    if (typeof v !== 'string') throw typeError(param, 'a string', v);
    out[key] = v;
  }
  return out;
}

/**
 * Exposes the snapshots of `source` (a `MetricsRecorder`, a `MetricsRuntime`, a `WorkerMetricsRuntime`
 * or any `RecorderReadingsProvider`, such as the cluster view of `mvx-common/node`) in a prom-client
 * registry. Every scrape builds fresh samples from the current snapshots (one reading of the source per
 * scrape); each recorder's series carry a `recorder` label (its recorder id; a lone recorder's entity
 * id), and recorders or metrics that appear or disappear do so at the next scrape. A metric that cannot
 * be exported is left out of the scrape (never failing it), counted in `mvx_exporter_errors_total` and
 * logged. See docs/adapters.md for the mapping of each kind.
 *
 * Several exposures may share one registry: families of the same name are merged (their series told
 * apart by each exposure's `labels`). An exposure whose families clash with a metric registered by
 * other code, or whose series duplicate another exposure's, is refused.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { Registry } from 'prom-client';
 * import { counter, MetricsRuntime } from 'mvx-common';
 * import { exposeToPrometheus } from 'mvx-common/prometheus';
 *
 * const runtime = new MetricsRuntime({ namespace: 'docs' });
 * await runtime.start();
 * const jobs = await runtime.createRecorder('jobs');
 * jobs.registerMetric(counter({ name: 'jobs.done', on: 'job.done' }));
 * jobs.emit({ type: 'job.done' });
 *
 * const registry = new Registry();
 * const exposure = exposeToPrometheus(runtime, { registry, labels: { service: 'docs' } });
 * const text = await registry.metrics(); // serve it on GET /metrics
 * console.log(text.split('\n').find((line) => line.startsWith('jobs_done_total')));
 * // → jobs_done_total{service="docs",recorder="jobs"} 1
 * exposure.close();
 * await runtime.shutdown();
 * ```
 * @throws TypeError / RangeError naming the bad argument; {@link PrometheusConflictError} on a clash;
 *   {@link PeerDependencyMissingError} when no `registry` is given and prom-client is not installed.
 */
export function exposeToPrometheus(
  source: SnapshotSource,
  options?: PrometheusExposeOptions,
): PrometheusExposure {
  const checked = checkSnapshotSource('source', source);
  const o = readOptions('options', options, OPTION_KEYS);
  const prefix = o.prefix === undefined ? '' : o.prefix;
  if (typeof prefix !== 'string') throw typeError('options.prefix', 'a string', prefix);
  if (!NAME_PREFIX.test(prefix)) {
    throw rangeError('options.prefix', 'letters, digits and `_`, not starting with a digit', prefix);
  }
  const labels = o.labels === undefined ? {} : checkLabels(o.labels);
  const includeStats = o.includeStats === undefined ? true : o.includeStats;
  if (typeof includeStats !== 'boolean') throw typeError('options.includeStats', 'a boolean', includeStats);
  const logContext = o.logContext ?? null;
  if (logContext !== null && !(logContext instanceof LogContext)) {
    throw typeError('options.logContext', 'a LogContext or null', logContext);
  }
  const registry = o.registry === undefined ? loadPromClient().register : checkRegistry(o.registry);
  const exposure = new Exposure(checked, { prefix, labels, includeStats, logContext });
  const hub = RegistryHub.of(registry);
  hub.add(exposure);
  return Object.freeze({
    close(): void {
      if (exposure.closed) return;
      exposure.closed = true;
      try {
        hub.remove(exposure);
      } catch {
        // close() never throws.
      }
    },
  });
}
