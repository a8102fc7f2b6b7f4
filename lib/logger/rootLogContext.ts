import { checkString } from '../internal/validate.js';
import { LogContext } from './LogContext.js';
import type { LogContextOptions } from './LogContextOptions.js';

let root: LogContext | null = null;
const registry = new Map<string, LogContext>();

/**
 * The package-level root context (namespace `''`, a {@link ConsoleJsonSink}), created on first use.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { getRootLogContext, MemorySink, resetLogger } from 'mvx-common/logger';
 *
 * const sink = new MemorySink();
 * getRootLogContext().configure({ sink });
 * getRootLogContext().info('app.ready');
 * console.log(sink.events.length); // → 1
 * resetLogger();
 * ```
 */
export function getRootLogContext(): LogContext {
  root ??= LogContext.root();
  return root;
}

/**
 * Creates (or updates) the registered context for a dotted namespace. Missing parents (`a`, `a.b` for
 * `a.b.c`) are created bare, inheriting everything; `options` apply to the leaf only. On an existing context
 * only the passed components change (see {@link LogContext.configure}).
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { configureLogContext, getLogContext, PatternLogEventPolicy, resetLogger } from 'mvx-common/logger';
 *
 * const ctx = configureLogContext('my_app.metrics', {
 *   eventPolicy: new PatternLogEventPolicy({ defaultEnabled: false }),
 * });
 * console.log(ctx.namespace, getLogContext('my_app')?.namespace); // → my_app.metrics my_app
 * resetLogger();
 * ```
 * @throws RangeError/TypeError when `namespace` is not dotted `[A-Za-z][A-Za-z0-9_-]*` segments
 */
export function configureLogContext(
  namespace: string,
  options: { readonly [K in keyof Omit<LogContextOptions, 'namespace'>]?: LogContextOptions[K] | null } = {},
): LogContext {
  checkString('namespace', namespace, { nonEmpty: true });
  let ctx = getRootLogContext();
  const segments = namespace.split('.');
  segments.forEach((segment, i) => {
    const full = segments.slice(0, i + 1).join('.');
    let next = registry.get(full);
    if (!next) {
      next = ctx.child(segment);
      registry.set(full, next);
    }
    ctx = next;
  });
  return ctx.configure(options);
}

/**
 * The registered context for `namespace` (`''` gives the root), or `undefined`.
 *
 * ## Example
 * ```ts
 * import { MetricsRecorder } from 'mvx-common';
 * import { getLogContext } from 'mvx-common/logger';
 *
 * // Configured once at start-up with configureLogContext('my_app.metrics', ...), found anywhere by name:
 * const recorder = new MetricsRecorder('jobs', { logContext: getLogContext('my_app.metrics') ?? null });
 * ```
 */
export function getLogContext(namespace: string): LogContext | undefined {
  checkString('namespace', namespace);
  return namespace === '' ? getRootLogContext() : registry.get(namespace);
}

/**
 * Forgets every registered context and the root (a fresh root is created on next use). For tests.
 * Sinks are not closed: they belong to whoever created them.
 *
 * ## Example
 * ```ts
 * import { resetLogger } from 'mvx-common/logger';
 *
 * declare function afterEach(fn: () => void): void; // the test framework's
 *
 * afterEach(() => resetLogger());
 * ```
 */
export function resetLogger(): void {
  registry.clear();
  root = null;
}
