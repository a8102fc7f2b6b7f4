import type { HrTime } from '@opentelemetry/api';

/**
 * Epoch milliseconds as an OpenTelemetry `HrTime` (`[seconds, nanoseconds]`, nanoseconds below 1e9).
 * @internal
 */
export function hrTimeFromMillis(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}
