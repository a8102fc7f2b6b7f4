import { typeError } from '../../internal/validate.js';

/** `logger` is an object with each of `methods`, read safely. @internal */
export function checkLoggerMethods(logger: unknown, methods: readonly string[], expected: string): void {
  if (logger === null || (typeof logger !== 'object' && typeof logger !== 'function')) {
    throw typeError('logger', expected, logger);
  }
  for (const method of methods) {
    let fn: unknown;
    try {
      fn = (logger as Record<string, unknown>)[method];
    } catch (cause) {
      throw new TypeError(`Reading \`logger.${method}\` threw`, { cause });
    }
    if (typeof fn !== 'function') throw typeError('logger', expected, logger);
  }
}
