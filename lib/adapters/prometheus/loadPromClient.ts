import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PeerDependencyMissingError } from './errors.js';
import type { RegistryLike } from './RegistryHub.js';

/** What the adapter needs of the `prom-client` module itself: its global registry. */
interface PromClientModule {
  readonly register: RegistryLike;
}

let loaded: PromClientModule | undefined;

/** This module's file: `__filename` in the CommonJS build, from a V8 call site in the ES build. */
function thisFile(): string | undefined {
  if (typeof __filename === 'string') return __filename;
  const original = Error.prepareStackTrace;
  const holder: { stack?: unknown } = {};
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, thisFile);
    const name = (holder.stack as NodeJS.CallSite[] | undefined)?.[0]?.getFileName() ?? undefined;
    return name?.startsWith('file:') ? fileURLToPath(name) : (name ?? undefined);
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = original;
  }
}

/**
 * Loads the optional peer `prom-client` (resolved from this package, as an `import` would be) the first
 * time an exposure needs its global registry; a missing package is a {@link PeerDependencyMissingError}.
 * (Internal to the adapter: not exported from the entry point.)
 */
export function loadPromClient(): PromClientModule {
  if (loaded !== undefined) return loaded;
  const base = thisFile() ?? `${process.cwd()}/index.js`;
  const load = typeof require === 'function' ? require : createRequire(base);
  try {
    loaded = load('prom-client') as PromClientModule;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message = String((error as { message?: unknown } | null)?.message);
    if (
      (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
      message.includes("'prom-client'")
    ) {
      throw new PeerDependencyMissingError('prom-client', 'mvx-common/prometheus', '^15', error);
    }
    throw error;
  }
  return loaded;
}
