import { fileURLToPath } from 'node:url';

/**
 * The file of the module that calls this function: `cjsFilename` when the caller is CommonJS (pass
 * `typeof __filename === 'string' ? __filename : undefined`), else read from a structured V8 call site
 * (no parsing of stack text): the ES build has no `import.meta` in a dual-built source, but V8 reports
 * the calling module's URL. Undefined when neither is available.
 * @internal
 */
export function callerModuleFile(cjsFilename: string | undefined): string | undefined {
  if (typeof cjsFilename === 'string') return cjsFilename;
  const original = Error.prepareStackTrace;
  const holder: { stack?: unknown } = {};
  try {
    Error.prepareStackTrace = (_error, callSites) => callSites;
    Error.captureStackTrace(holder, callerModuleFile);
    const sites = holder.stack as NodeJS.CallSite[] | undefined;
    const name = sites?.[0]?.getFileName() ?? undefined;
    if (name === undefined) return undefined;
    return name.startsWith('file:') ? fileURLToPath(name) : name;
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = original;
  }
}
