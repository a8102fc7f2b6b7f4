import { MetricsError } from '../../metrics/errors/MetricsError.js';

/** What {@link PrometheusConflictError} lists: one clashing family. */
export interface PrometheusConflict {
  /** The Prometheus family name. */
  readonly family: string | undefined;
  /** The source metric it comes from. */
  readonly metric: string;
  /** `name_taken`: registered by another metric; `duplicate_series` / `type_conflict`: by another exposure. */
  readonly reason: string;
  readonly message: string;
}

/**
 * `exposeToPrometheus` refused an exposure whose families clash with what the registry already holds:
 * a metric of the same name registered by other code (`name_taken`), or the same series, or the same
 * name with another type, already exposed by an earlier `exposeToPrometheus` into this registry. Use a
 * `prefix` or distinguishing constant `labels`, or another registry.
 */
export class PrometheusConflictError extends MetricsError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/PrometheusConflictError';

  readonly code = 'PROMETHEUS_CONFLICT';
  /** The clashing family names, in exposition order. */
  readonly metricNames: readonly string[];

  constructor(readonly conflicts: readonly PrometheusConflict[]) {
    const names = [...new Set(conflicts.map((c) => c.family ?? c.metric))];
    const shown = names.slice(0, 5).map((n) => `\`${n}\``);
    if (names.length > 5) shown.push(`and ${names.length - 5} more`);
    super(
      `Cannot expose to Prometheus: ${shown.join(', ')} clash with this registry (${conflicts[0]?.message ?? ''})`,
    );
    this.metricNames = Object.freeze(names);
  }
}

/** An optional peer dependency an entry point needs is not installed. */
export class PeerDependencyMissingError extends MetricsError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/PeerDependencyMissingError';

  readonly code = 'PEER_DEPENDENCY_MISSING';

  constructor(
    /** The missing package, e.g. `prom-client`. */
    readonly packageName: string,
    /** The entry point that needs it, e.g. `mvx-common/prometheus`. */
    readonly entryPoint: string,
    /** The supported version range. */
    readonly range: string,
    cause?: unknown,
  ) {
    super(
      `${entryPoint} needs the optional peer dependency ${packageName} (${range}), which is not installed: ` +
        `run \`npm install ${packageName}@"${range}"\``,
      { cause },
    );
  }
}
