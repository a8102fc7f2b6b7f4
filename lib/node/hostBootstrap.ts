import { dirname, extname, join } from 'node:path';
import { callerModuleFile } from '../internal/moduleFile.js';

/** Matches TypeScript module files (`.ts`, `.mts`, `.cts`). @internal */
export const TS_MODULE = /\.[cm]?ts$/;

/**
 * Where `workerHost` lives: next to this file, with this file's extension — `.ts` when running from
 * source (ts-node, jest), `.js` in `dist/cjs` or `dist/esm`. Each build thus starts its own host.
 * Bundlers that move files around should pass `options.hostModule` instead.
 * @internal
 */
export function defaultHostModule(): string {
  const self = callerModuleFile(typeof __filename === 'string' ? __filename : undefined);
  if (self === undefined) {
    throw new Error('Cannot locate the worker host module; pass `options.hostModule`');
  }
  return join(dirname(self), `workerHost${extname(self)}`);
}

/**
 * The worker's entry (evaluated as CommonJS). When the host module or the metrics module is TypeScript,
 * it registers ts-node (transpile-only, with the metrics module's tsconfig) unless the worker already
 * has it — whatever the main thread runs (ts-node, jest, plain node on the build). Then it loads the
 * host module (`require` for `.ts`, native `import()` otherwise) and runs it, handing it that same
 * loader for the metrics module. A failure crashes the worker,
 * which the main thread reports as a `WorkerStartupError`.
 * @internal
 */
export const BOOTSTRAP_SOURCE = `
const { workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const path = require('node:path');
const host = workerData.mvxHost;
const metricsModule = workerData.mvx.metricsModule;
const TS = ${TS_MODULE.toString()};

function registerTypeScript(forFile) {
  if (process[Symbol.for('ts-node.register.instance')]) return;
  const bases = [forFile, host, path.join(process.cwd(), 'index.js')];
  let tsNode;
  for (const base of bases) {
    try {
      tsNode = createRequire(base)('ts-node');
      break;
    } catch (error) {
      if (!error || error.code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  if (!tsNode) {
    throw new Error(
      'Cannot load the TypeScript module ' + forFile + ' in the metrics worker: ts-node is not installed ' +
        '(install it, or point metricsModule at compiled JavaScript)',
    );
  }
  tsNode.register({ transpileOnly: true, projectSearchDir: path.dirname(forFile) });
}

// Native (never transpiled) loading: a transpiled host would turn import() into require().
function load(file) {
  return TS.test(file) ? Promise.resolve(createRequire(file)(file)) : import(pathToFileURL(file).href);
}

(async () => {
  if (TS.test(metricsModule)) registerTypeScript(metricsModule);
  else if (TS.test(host)) registerTypeScript(host);
  const mod = await load(host);
  await mod.runWorkerHost({ load });
})().catch((error) => { setImmediate(() => { throw error; }); });
`;
