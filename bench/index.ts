/**
 * `npm run bench`: every benchmark, one after the other, in one process.
 */
import { cpus } from 'node:os';

interface BenchModule {
  run(): unknown;
  /** Formats a structured result (suites whose `run()` returns data rather than lines). */
  print?(result: never): void;
}

const suites: Array<[string, () => BenchModule]> = [
  ['core pipeline', () => require('./core.bench') as BenchModule],
  ['metric kinds', () => require('./kinds.bench') as BenchModule],
  ['runtime and threads', () => require('./runtime.bench') as BenchModule],
  ['opentelemetry exporter', () => require('./otel.bench') as BenchModule],
  ['reliability under load', () => require('./reliability.bench') as BenchModule],
  ['prometheus exporter', () => require('./prometheus.bench') as BenchModule],
  ['dashboard', () => require('./dashboard.bench') as BenchModule],
];

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
  if (!(globalThis as { gc?: unknown }).gc) console.log('(run with --expose-gc for memory figures)');
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--')); // flags go to the suites
  for (const [title, load] of suites) {
    if (only.length > 0 && !only.some((o) => title.includes(o))) continue;
    let mod: BenchModule;
    try {
      mod = load();
    } catch (error) {
      if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') continue;
      throw error;
    }
    console.log(`\n## ${title}`);
    const result = await mod.run();
    if (Array.isArray(result)) console.log(result.join('\n'));
    else if (typeof result === 'string') console.log(result);
    else if (mod.print) mod.print(result as never);
    else if (result !== undefined) console.log(JSON.stringify(result, null, 2));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
