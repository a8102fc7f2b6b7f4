/**
 * `mvx-common/prometheus`: exposes MVX Metrics snapshots in a prom-client (^15, optional peer
 * dependency) registry. The core never imports this entry point.
 */
export { exposeToPrometheus } from './exposeToPrometheus.js';
export type { PrometheusExposeOptions, PrometheusExposure } from './exposeToPrometheus.js';
export { PROMETHEUS_LOG_EVENTS } from './Exposure.js';
export type { ExportErrorReason } from './Exposure.js';
export { PrometheusConflictError, PeerDependencyMissingError } from './errors.js';
export type { PrometheusConflict } from './errors.js';
