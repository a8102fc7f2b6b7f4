import { describeValue } from '../internal/validate.js';

/**
 * A fact reported by production code: "document save attempted, outcome=failure, 12 ms".
 *
 * Only `type` is required: it names the *fact* (`'document_storage.save.attempt'`). Every other field is
 * the emitting component's payload. Events are plain, structured-clone friendly objects; a discriminated
 * union on `type` gives typed metrics.
 *
 * ## Example
 * ```ts
 * type SaveAttempt = { type: 'document_storage.save.attempt'; outcome: 'success' | 'failure'; durationMs: number };
 * recorder.emit({ type: 'document_storage.save.attempt', outcome: 'success', durationMs: 12 });
 * ```
 */
export interface MetricEvent {
  readonly type: string;
}

/** True when `value` is a valid {@link MetricEvent}: a non-null object with a non-empty string `type`. */
export function isMetricEvent(value: unknown): value is MetricEvent {
  if (value === null || typeof value !== 'object') return false;
  const type = readType(value);
  return typeof type === 'string' && type.length > 0;
}

/**
 * Returns `undefined` when `value` is a valid event, otherwise the `TypeError` that explains why not.
 * Used by the recorder's admission path, which must not throw from `emit`.
 * @internal
 */
export function eventError(value: unknown, param = 'event'): TypeError | undefined {
  if (value === null || typeof value !== 'object') {
    return new TypeError(
      `Expected \`${param}\` to be an object with a string \`type\`, got ${describeValue(value)}`,
    );
  }
  const type = readType(value);
  if (type === THROWING_TYPE) return new TypeError(`Reading \`${param}.type\` threw`);
  if (typeof type !== 'string') {
    return new TypeError(`Expected \`${param}.type\` to be a non-empty string, got ${describeValue(type)}`);
  }
  if (type.length === 0)
    return new TypeError(`Expected \`${param}.type\` to be a non-empty string, got \`""\``);
  return undefined;
}

// Fix: reading `type` must not throw (a proxy or a getter may): `emit` never throws.
const THROWING_TYPE = Symbol('throwing type');
function readType(value: object): unknown {
  try {
    return (value as { type?: unknown }).type;
  } catch {
    return THROWING_TYPE;
  }
}
