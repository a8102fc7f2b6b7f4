import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `workerHost` lives next to this file: `.ts` when running from source (ts-node, jest), `.js`
 * when running from the build. CommonJS gives `__filename`; the ES build reads its own URL from a stack
 * frame (no `import.meta` in a dual-built source).
 * @internal
 */
export function defaultHostModule(): string {
  let self: string | undefined = typeof __filename === 'string' ? __filename : undefined;
  if (self === undefined) {
    const match = /(file:\/\/[^\s)]+?hostBootstrap\.[cm]?[jt]s)/.exec(new Error().stack ?? '');
    if (match) self = fileURLToPath(match[1]!);
  }
  if (self === undefined) {
    throw new Error('Cannot locate the worker host module; pass `options.hostModule`');
  }
  return join(dirname(self), `workerHost${extname(self)}`);
}

/**
 * The worker's entry (evaluated as CommonJS): loads the host module (registering ts-node first for a
 * `.ts` host, unless already registered) and runs it. A failure crashes the worker, which the main
 * thread reports as a startup failure.
 * @internal
 */
export const BOOTSTRAP_SOURCE = `
const { workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const path = require('node:path');
const host = workerData.mvxHost;
(async () => {
  let mod;
  if (/\\.[cm]?ts$/.test(host)) {
    const req = createRequire(host);
    if (!process[Symbol.for('ts-node.register.instance')]) {
      req('ts-node').register({ transpileOnly: true, projectSearchDir: path.dirname(host) });
    }
    mod = req(host);
  } else {
    mod = await import(pathToFileURL(host).href);
  }
  await mod.runWorkerHost();
})().catch((error) => { setImmediate(() => { throw error; }); });
`;
