import { brandedName, hasBrandedInstance } from '../../internal/brand.js';

/**
 * Base class of every error MVX Metrics raises, returns or reports. Never thrown itself.
 *
 * Every concrete subclass has a stable string {@link MetricsError.code} to branch on, and carries the
 * underlying failure in the standard `cause` property. `instanceof` works across copies of the library
 * (an error made by the CommonJS build is an instance of the ES module build's class, and the other way
 * round); `name` is the class name, also in minified bundles.
 */
export abstract class MetricsError extends Error {
  /**
   * The class's identity across copies of the library. Every error class of the library declares its own
   * (`static override readonly mvxBrand: string = 'mvx-common/<ClassName>'`); one that does not keeps
   * ordinary `instanceof` (spec/metrics/errors/classIdentity.spec.ts checks every exported class).
   * @internal
   */
  static readonly mvxBrand: string = 'mvx-common/MetricsError';

  /** Stable machine-readable code, e.g. `'QUEUE_OVERFLOW'`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = brandedName(new.target) ?? new.target.name;
  }

  /**
   * `value instanceof ThisClass`, also for instances made by another copy of the library (the ESM and
   * the CommonJS build loaded in one process). Subclass semantics are those of ordinary `instanceof`; a
   * subclass of your own keeps ordinary `instanceof`.
   */
  static override [Symbol.hasInstance]<T>(
    this: abstract new (...args: never[]) => T,
    value: unknown,
  ): value is T {
    return hasBrandedInstance(this, value);
  }
}

/** Base class of the errors raised or reported by a {@link MetricsRecorder}. Never thrown itself. */
export abstract class MetricsRecorderError extends MetricsError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/MetricsRecorderError';
}

/** Base class of the errors raised by a {@link MetricsRuntime}. Never thrown itself. */
export abstract class MetricsRuntimeError extends MetricsError {
  /** @internal */
  static override readonly mvxBrand: string = 'mvx-common/MetricsRuntimeError';
}

/** Formats a list of states for messages: `'running' or 'stopped'`. */
export function formatStates(states: readonly string[]): string {
  const quoted = states.map((s) => `'${s}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
