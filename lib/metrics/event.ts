import { hasBrandedInstance } from '../internal/brand.js';
import { describeValue } from '../internal/validate.js';

/**
 * A fact reported by production code: "document save attempted, outcome=failure, 12 ms".
 *
 * Only `type` is required: it names the *fact* (`'document_storage.save.attempt'`). Every other field is
 * the emitting component's payload. Events are plain, structured-clone friendly objects; a discriminated
 * union on `type` gives typed metrics.
 */
export interface MetricEvent {
  readonly type: string;
}

/**
 * Any event: a string `type` plus payload fields of any name.
 */
export interface AnyMetricEvent extends MetricEvent {
  readonly [field: string]: unknown;
}

/**
 * What an emitter or recorder of events `E` takes. For the open {@link MetricEvent} (an untyped recorder,
 * `new MetricsRecorder('x')`), any event object with payload fields, so
 * `emit({ type: 'http.request', route: '/x' })` compiles; for a typed recorder
 * (`new MetricsRecorder<MyEvents>('x')`), exactly `E` (excess fields are compile errors).
 */
export type EmittedEvent<E extends MetricEvent> = MetricEvent extends E ? AnyMetricEvent | MetricEvent : E;

/**
 * The `TypeError` an invalid event is refused with: thrown by `registerEvent`, reported on `errors$` for
 * `emit`. Its `code` is `'INVALID_EVENT'`; a `type` getter that threw is its `cause`.
 */
export class InvalidMetricEventError extends TypeError {
  /** Class identity across copies of the package. @internal */
  static readonly mvxBrand: string = 'mvx-common/InvalidMetricEventError';

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrandedInstance(this, value);
  }

  /** Stable machine-readable code. */
  readonly code = 'INVALID_EVENT';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InvalidMetricEventError';
  }
}

/** True when `value` is a valid {@link MetricEvent}: a non-null object with a non-empty string `type`. Never throws. */
export function isMetricEvent(value: unknown): value is MetricEvent {
  if (value === null || typeof value !== 'object') return false;
  let type: unknown;
  try {
    type = (value as { type?: unknown }).type;
  } catch {
    return false;
  }
  return typeof type === 'string' && type.length > 0;
}

/**
 * The {@link InvalidMetricEventError} explaining why `value` is not a valid event (reading `type` at most
 * once more; never throws). Only called on the refusal path.
 * @internal
 */
export function invalidEventError(value: unknown, param = 'event'): InvalidMetricEventError {
  if (value === null || typeof value !== 'object') {
    return new InvalidMetricEventError(
      `Expected \`${param}\` to be an object with a string \`type\`, got ${describeValue(value)}`,
    );
  }
  let type: unknown;
  try {
    type = (value as { type?: unknown }).type;
  } catch (cause) {
    return new InvalidMetricEventError(`Reading \`${param}.type\` threw`, { cause });
  }
  if (typeof type === 'string' && type.length === 0) {
    return new InvalidMetricEventError(`Expected \`${param}.type\` to be a non-empty string, got \`""\``);
  }
  return new InvalidMetricEventError(
    `Expected \`${param}.type\` to be a non-empty string, got ${describeValue(type)}`,
  );
}

/**
 * `undefined` when `value` is a valid event, otherwise the {@link InvalidMetricEventError} that explains
 * why not.
 * @internal
 */
export function eventError(value: unknown, param = 'event'): InvalidMetricEventError | undefined {
  return isMetricEvent(value) ? undefined : invalidEventError(value, param);
}
