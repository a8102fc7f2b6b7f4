import { MetricsError } from '../../metrics/errors/MetricsError.js';

/**
 * A metric that could not be exported (a malformed snapshot, a name claimed by another metric, or a
 * source that could not be read). Reported in the `errors` of a collection result, never thrown: the
 * metric is skipped and everything else is exported.
 *
 * ## Example
 * ```ts
 * import { MetricExportError, type MvxMetricProducer } from 'mvx-common/otel';
 *
 * declare const producer: MvxMetricProducer;
 *
 * const { errors } = await producer.collect();
 * for (const error of errors) {
 *   // A broken metric is skipped and reported here; the rest of the collection is exported.
 *   if (error instanceof MetricExportError) console.warn(error.recorderId, error.metricName, error.message);
 * }
 * ```
 */
export class MetricExportError extends MetricsError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/MetricExportError';

  readonly code = 'METRIC_EXPORT_FAILED';

  constructor(
    message: string,
    /** The recorder whose metric failed (undefined when the source itself could not be read). */
    readonly recorderId: string | undefined,
    /** The metric's snapshot name (undefined when the source itself could not be read). */
    readonly metricName: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
