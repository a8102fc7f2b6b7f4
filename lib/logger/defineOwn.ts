/**
 * Sets `key` as an ordinary own, enumerable data property of `target`, whatever the string: `__proto__`
 * stays a key (it never becomes the prototype), and `constructor`, `toString` or `hasOwnProperty` shadow
 * nothing that the logger reads. Used for every object built from user-supplied keys.
 * @internal
 */
export function defineOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
