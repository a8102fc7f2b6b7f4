/**
 * Loaded first by the `mvx-common/otel` entry point. Under CommonJS it checks that the optional peer
 * dependencies resolve, and otherwise throws one error that names both and how to install them (code
 * `MODULE_NOT_FOUND`, as Node's own, with Node's error as `cause`). Under ES modules, imports are
 * resolved before any code runs, so Node's own error (which names the missing package) is what you see.
 * @internal
 */
const PEERS = ['@opentelemetry/api', '@opentelemetry/sdk-metrics'] as const;

if (typeof require === 'function' && typeof require.resolve === 'function') {
  const missing: string[] = [];
  let cause: unknown;
  for (const peer of PEERS) {
    try {
      require.resolve(peer);
    } catch (error) {
      missing.push(peer);
      cause ??= error;
    }
  }
  if (missing.length > 0) {
    const error = new Error(
      `mvx-common/otel needs its optional peer dependencies ${missing.join(' and ')} ` +
        '(npm install @opentelemetry/api@1.9 @opentelemetry/sdk-metrics@2)',
      { cause },
    );
    (error as Error & { code: string }).code = 'MODULE_NOT_FOUND';
    throw error;
  }
}

export {};
