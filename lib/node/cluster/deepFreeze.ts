/**
 * Freezes `value` and everything reachable from it (snapshots handed to readers are immutable), also
 * under an already frozen top level (`mergeSnapshots` freezes only its result object).
 * @internal
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.freeze(value);
    for (const v of Object.values(value)) if (v !== null && typeof v === 'object') deepFreeze(v);
  }
  return value;
}
