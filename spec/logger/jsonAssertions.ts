/**
 * Independent checks of the logger's output contract: JSON-safe (only null, booleans, strings, finite
 * numbers, arrays and plain objects, no cycles), deeply frozen, and unchanged by a JSON round trip.
 */
export function jsonSafetyProblem(value: unknown, path = '$', ancestors = new Set<object>()): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? null : `${path}: non-finite or -0 number`;
    case 'object':
      break;
    default:
      return `${path}: ${typeof value}`;
  }
  if (value === null) return null;
  if (ancestors.has(value)) return `${path}: cycle`;
  if (!Object.isFrozen(value)) return `${path}: not frozen`;
  const proto: unknown = Object.getPrototypeOf(value);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      if (proto !== Array.prototype) return `${path}: exotic array`;
      for (let i = 0; i < value.length; i++) {
        if (!(i in value)) return `${path}[${i}]: hole`;
        const problem = jsonSafetyProblem(value[i], `${path}[${i}]`, ancestors);
        if (problem) return problem;
      }
      return null;
    }
    if (proto !== Object.prototype) return `${path}: prototype is not Object.prototype`;
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key !== 'string') return `${path}: symbol key`;
      const d = Object.getOwnPropertyDescriptor(value, key)!;
      if (!('value' in d)) return `${path}.${key}: accessor`;
      if (!d.enumerable) return `${path}.${key}: not enumerable`;
      const problem = jsonSafetyProblem(d.value, `${path}.${key}`, ancestors);
      if (problem) return problem;
    }
    return null;
  } finally {
    ancestors.delete(value);
  }
}

/** Throws (with the path) unless `value` is JSON-safe, frozen and survives a JSON round trip. */
export function expectJsonSafe(value: unknown): void {
  const problem = jsonSafetyProblem(value);
  if (problem) throw new Error(`not JSON-safe: ${problem}`);
  expect(JSON.parse(JSON.stringify(value))).toEqual(value);
}

/** Every node of a JSON value (the root included). */
export function countNodes(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1;
  const children = Array.isArray(value) ? value : Object.values(value as object);
  return 1 + children.reduce((n: number, child) => n + countNodes(child), 0);
}
