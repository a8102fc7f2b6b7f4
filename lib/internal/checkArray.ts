import { typeError } from './validate.js';

/**
 * Throws a TypeError naming `param` unless `value` is an array; returns a copy read once (a Proxy whose
 * traps throw is reported the same way, with the thrown error as `cause`).
 * @internal
 */
export function checkArray<T>(param: string, value: unknown): readonly T[] {
  let isArray: boolean;
  try {
    isArray = Array.isArray(value);
  } catch (cause) {
    throw new TypeError(`Reading \`${param}\` threw`, { cause });
  }
  if (!isArray) throw typeError(param, 'an array', value);
  try {
    return Array.from(value as readonly T[]);
  } catch (cause) {
    throw new TypeError(`Reading the items of \`${param}\` threw`, { cause });
  }
}
