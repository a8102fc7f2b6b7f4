/**
 * `mvx-common/otel`: the OpenTelemetry adapter. Its peer dependencies `@opentelemetry/api` (1.9) and
 * `@opentelemetry/sdk-metrics` (2.x) must be installed to import this entry point; the rest of the
 * package never loads them.
 */
import './peerCheck.js';

export { MvxMetricProducer } from './MvxMetricProducer.js';
export type { MvxMetricProducerOptions, MvxInstrumentationScope } from './producerOptions.js';
export { MetricExportError } from './MetricExportError.js';
export { otelUnit } from './otelUnit.js';
