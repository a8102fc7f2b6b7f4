/**
 * fast-check helpers for options objects: keys an options type does not have (including `__proto__`,
 * `constructor`, near-misses and symbols), objects carrying one as an own key, and the assertions every
 * options reader must satisfy (an unknown key is a TypeError naming it and the accepted keys; a throwing
 * getter or Proxy trap is a TypeError naming the option, with the cause).
 */
import fc from 'fast-check';

/** Keys that are not in `allowed`: random strings, prototype names, near-misses of the allowed keys, symbols. */
export function unknownKey(allowed: readonly string[]): fc.Arbitrary<string | symbol> {
  const nearMisses = allowed.flatMap((k) => [k.toUpperCase(), `${k} `, k.slice(0, -1), `${k}s`]);
  return fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'then'),
      ...(nearMisses.length > 0 ? [fc.constantFrom(...nearMisses)] : []),
      fc.string({ maxLength: 6 }).map((d) => Symbol(d)),
    )
    .filter((k) => typeof k === 'symbol' || !allowed.includes(k));
}

/** `base` plus the own key `key` (set with defineProperty, so `__proto__` is an own key too). */
export function withKey(base: object, key: string | symbol, value: unknown): Record<PropertyKey, unknown> {
  const out: Record<PropertyKey, unknown> = { ...base };
  Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
  return out;
}

/** Asserts `fn` throws the unknown-option TypeError for `key` in `param`, listing every accepted key. */
export function expectUnknownKey(
  fn: () => unknown,
  param: string,
  key: string | symbol,
  accepted: readonly string[],
): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TypeError);
  const message = (thrown as Error).message;
  const shown = typeof key === 'string' ? JSON.stringify(key) : key.toString();
  expect(message).toContain(`Unknown option ${shown} in \`${param}\``);
  for (const k of accepted) expect(message).toContain(`\`${k}\``);
}

/** Like {@link expectUnknownKey}, for a function returning a Promise that must reject. */
export async function expectUnknownKeyRejects(
  fn: () => Promise<unknown>,
  param: string,
  key: string | symbol,
  accepted: readonly string[],
): Promise<void> {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expectUnknownKey(
    () => {
      if (error !== undefined) throw error;
    },
    param,
    key,
    accepted,
  );
}

/** An options object whose `key` getter throws. */
export function throwingGetter(key: string, base: object = {}): object {
  const out = { ...base };
  Object.defineProperty(out, key, {
    enumerable: true,
    get() {
      throw new Error(`getter of ${key}`);
    },
  });
  return out;
}

/** A Proxy whose `ownKeys` trap throws. */
export function throwingKeysProxy(): object {
  return new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('ownKeys trap');
      },
    },
  );
}

/** Asserts `fn` throws a TypeError whose message contains `fragment` and whose `cause` is set. */
export function expectReadFailure(fn: () => unknown, fragment: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TypeError);
  expect((thrown as Error).message).toContain(fragment);
  expect((thrown as Error).cause).toBeInstanceOf(Error);
}
