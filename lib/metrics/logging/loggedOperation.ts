import { logInvocation } from '../../logger/logInvocation.js';
import type { LogContext } from '../../logger/LogContext.js';
import type { LogDeliveryError } from '../../logger/LogDeliveryError.js';

/** A lifecycle-owning component whose operations are logged (the recorder and the runtimes). @internal */
export interface LoggedComponent {
  getStatus(): string;
  getLogContext(): LogContext | null;
  /**
   * Optional: receives each failure of the component's own logging (the recorder reports it on `errors$`).
   * Never called under `errorHandling: 'ignore'`; whatever it throws is ignored.
   */
  reportLogFailure?(error: LogDeliveryError): void;
}

/**
 * Hands a logging failure to the component's `reportLogFailure`, when it has one. Never throws.
 * @internal
 */
export function forwardLogFailure(error: LogDeliveryError, self: LoggedComponent): void {
  try {
    const report = (self as { reportLogFailure?: unknown } | null | undefined)?.reportLogFailure;
    if (typeof report === 'function') report.call(self, error);
  } catch {
    // A failing report has nowhere left to go; the context has counted and printed the failure.
  }
}

/**
 * The method decorator of one logged operation of a recorder or runtime: `invoke` then
 * `success`/`failed` through `getLogContext()` (plain calls without one), each record carrying a
 * `state` field read at that moment, plus `args(self, args)` on `invoke` when given.
 *
 * It can never break the operation: the method runs exactly once and returns or throws exactly what it
 * returns or throws, synchronously or through its Promise, whatever the log context does (even under
 * `errorHandling: 'raise'`, which cannot reach the caller here). Logging failures are counted and
 * printed by the context and handed to {@link forwardLogFailure}.
 * @internal
 */
export function loggedOperation(
  event: string,
  args?: (self: LoggedComponent, args: readonly unknown[]) => Readonly<Record<string, unknown>>,
) {
  return logInvocation<LoggedComponent>(event, {
    context: (self) => ({ state: self.getStatus() }),
    onLogFailure: forwardLogFailure,
    ...(args === undefined ? {} : { args }),
  });
}

/**
 * Reads an own data property without invoking a getter or a Proxy `get` trap (absent, accessor or
 * unreadable: `null`), so logging an argument never runs code the operation itself would not.
 * @internal
 */
export function dataProperty(value: unknown, key: string): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return null;
  try {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    return descriptor !== undefined && 'value' in descriptor ? descriptor.value : null;
  } catch {
    return null;
  }
}
