import { typeError } from './validate.js';

/**
 * Throws a TypeError naming `param` unless `value` is an object with an `emit` function (a throwing
 * getter or Proxy trap is reported the same way, with the thrown error as `cause`).
 * @internal
 */
export function checkEmitter<T extends { emit(event: never): void }>(param: string, value: unknown): T {
  const expected = 'a MetricEmitter (an object with `emit`)';
  if (value === null || typeof value !== 'object') throw typeError(param, expected, value);
  let emit: unknown;
  try {
    emit = (value as { emit?: unknown }).emit;
  } catch (cause) {
    throw new TypeError(`Reading \`${param}.emit\` threw`, { cause });
  }
  if (typeof emit !== 'function') throw typeError(param, expected, value);
  return value as T;
}
