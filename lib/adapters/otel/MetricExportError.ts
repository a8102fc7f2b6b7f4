import { MetricsError } from '../../metrics/errors/MetricsError.js';

/**
 * A metric that could not be exported (a malformed snapshot, a name claimed by another metric, or a
 * source that could not be read). Reported in the `errors` of a collection result, never thrown: the
 * metric is skipped and everything else is exported.
 *
 * ## Example
 * ```ts
 * const { errors } = await producer.collect();
 * for (const e of errors) if (e instanceof MetricExportError) console.warn(e.recorderId, e.metricName, e.message);
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
