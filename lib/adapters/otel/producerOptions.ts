import { AggregationTemporality, type AggregationTemporalitySelector } from '@opentelemetry/sdk-metrics';
import {
  checkOptionalString,
  checkString,
  orDefault,
  rangeError,
  readOptions,
  typeError,
} from '../../internal/validate.js';
import { PACKAGE_VERSION } from './packageVersion.js';

/**
 * The instrumentation scope the producer's metrics are exported under (the shape of
 * `@opentelemetry/core`'s `InstrumentationScope`).
 */
export interface MvxInstrumentationScope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
}

/**
 * Options of {@link MvxMetricProducer}.
 */
export interface MvxMetricProducerOptions {
  /**
   * The instrumentation scope of every exported metric (`name` non-empty; `version` and `schemaUrl`
   * optional).
   * @default { name: 'mvx-common', version: <the package version> }
   */
  readonly scope?: MvxInstrumentationScope;
  /**
   * The temporality of sums and histograms: `AggregationTemporality.CUMULATIVE`,
   * `AggregationTemporality.DELTA` (computed from the cumulative snapshots by keeping each stream's
   * previous collection: give each reader its own producer), or a selector by instrument type such as
   * an exporter's `selectAggregationTemporality`. mvx counters and outcome counters select as
   * `COUNTER`, up-down counters as `UP_DOWN_COUNTER`, histograms as `HISTOGRAM`, gauges as `GAUGE`.
   * @default AggregationTemporality.CUMULATIVE
   */
  readonly aggregationTemporality?: AggregationTemporality | AggregationTemporalitySelector;
  /**
   * Export recorder health (`mvx.recorder.offered`, `dropped`, `rejected`, `pending`, ..., and
   * `mvx.recorder.state`).
   * @default true
   */
  readonly includeStats?: boolean;
}

/** @internal */
export interface ResolvedProducerOptions {
  readonly scope: MvxInstrumentationScope;
  readonly temporality: AggregationTemporality | AggregationTemporalitySelector;
  readonly includeStats: boolean;
}

const DEFAULT_SCOPE: MvxInstrumentationScope = Object.freeze({
  name: 'mvx-common',
  version: PACKAGE_VERSION,
});

function checkScope(value: unknown): MvxInstrumentationScope {
  const o = readOptions('options.scope', value, ['name', 'version', 'schemaUrl']);
  const name = checkString('options.scope.name', o.name, { nonEmpty: true });
  const version = checkOptionalString('options.scope.version', o.version);
  const schemaUrl = checkOptionalString('options.scope.schemaUrl', o.schemaUrl);
  return Object.freeze({
    name,
    ...(version === undefined ? {} : { version }),
    ...(schemaUrl === undefined ? {} : { schemaUrl }),
  });
}

function checkTemporality(value: unknown): AggregationTemporality | AggregationTemporalitySelector {
  if (typeof value === 'function') return value as AggregationTemporalitySelector;
  const expected = 'AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA or a selector function';
  if (typeof value !== 'number') throw typeError('options.aggregationTemporality', expected, value);
  if (value !== AggregationTemporality.CUMULATIVE && value !== AggregationTemporality.DELTA) {
    throw rangeError('options.aggregationTemporality', expected, value);
  }
  return value;
}

/** Reads and validates the producer's options. @internal */
export function resolveProducerOptions(options: unknown): ResolvedProducerOptions {
  const o = readOptions('options', options, ['scope', 'aggregationTemporality', 'includeStats']);
  return {
    scope: orDefault<MvxInstrumentationScope>(o.scope, DEFAULT_SCOPE, checkScope),
    temporality: orDefault(o.aggregationTemporality, AggregationTemporality.CUMULATIVE, checkTemporality),
    includeStats: orDefault(o.includeStats, true, (v) => {
      if (typeof v !== 'boolean') throw typeError('options.includeStats', 'a boolean', v);
      return v;
    }),
  };
}
