import { isBranded } from '../internal/brand.js';
import type { LogContext } from './LogContext.js';

/** The brand of {@link LogContext} (its class identity across copies of the library). @internal */
export const LOG_CONTEXT_BRAND = 'mvx-common/LogContext';

/**
 * True for a {@link LogContext}, also one made by another copy of the library (the ESM and the CommonJS
 * build loaded together). Code that only checks a context imports this instead of the class, so bundles
 * without logging leave the logger's context, normalizer and sinks out.
 * @internal
 */
export function isLogContext(value: unknown): value is LogContext {
  return isBranded(value, LOG_CONTEXT_BRAND);
}
