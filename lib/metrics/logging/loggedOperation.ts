import { logInvocation } from '../../logger/logInvocation.js';
import type { LogContext } from '../../logger/LogContext.js';

/** A lifecycle-owning component whose operations are logged (the recorder and the runtimes). @internal */
export interface LoggedComponent {
  getStatus(): string;
  getLogContext(): LogContext | null;
}

/**
 * The method decorator of one logged operation of a recorder or runtime: `invoke` then
 * `success`/`failed` through `getLogContext()` (plain calls without one), each record carrying a
 * `state` field read at that moment, plus `args(self, args)` on `invoke` when given.
 * @internal
 */
export function loggedOperation(
  event: string,
  args?: (self: LoggedComponent, args: readonly unknown[]) => Readonly<Record<string, unknown>>,
) {
  return logInvocation<LoggedComponent>(event, {
    context: (self) => ({ state: self.getStatus() }),
    ...(args === undefined ? {} : { args }),
  });
}
