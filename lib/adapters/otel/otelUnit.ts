/**
 * Common spelled-out units and their UCUM symbols (what OpenTelemetry semantic conventions use).
 * Any other unit is kept as written.
 */
const UCUM: { readonly [unit: string]: string } = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    byte: 'By',
    bytes: 'By',
    second: 's',
    seconds: 's',
    millisecond: 'ms',
    milliseconds: 'ms',
    microsecond: 'us',
    microseconds: 'us',
    nanosecond: 'ns',
    nanoseconds: 'ns',
    percent: '%',
  }),
);

/**
 * The OpenTelemetry unit of a snapshot's `unit`: `''` when absent, the UCUM symbol for the spelled-out
 * units above (`'bytes'` -> `'By'`, `'seconds'` -> `'s'`, `'milliseconds'` -> `'ms'`, ...), else the
 * unit unchanged (`'ms'`, `'s'`, `'By'`, `'1'`, `'{request}'` are already UCUM).
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { otelUnit } from 'mvx-common/otel';
 *
 * console.log(otelUnit('bytes')); // → By
 * console.log(otelUnit('ms')); // → ms
 * ```
 */
export function otelUnit(unit: string | undefined): string {
  if (typeof unit !== 'string') return '';
  const trimmed = unit.trim();
  return UCUM[trimmed.toLowerCase()] ?? trimmed;
}
