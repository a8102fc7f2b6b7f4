/**
 * `npm run demo`: the document-storage demo service with its live dashboard.
 *
 *   npm run demo -- --port 8030 --rate 40 --duration 60
 *
 * --port      dashboard port (default 8030; a free one if it is taken); 0 = any free port
 * --host      interface to listen on (default 127.0.0.1; there is no auth: keep it local)
 * --rate      base requests per second of the load generator (default 40)
 * --duration  seconds to run, then exit cleanly (default: until Ctrl-C)
 */
import { parseArgs } from 'node:util';
import { startDemoService, type FinalRecorder } from './service';

const DEFAULT_PORT = 8030;

interface Flags {
  port: number | undefined;
  host: string | undefined;
  rate: number;
  duration: number | undefined;
}

function usage(message?: string): never {
  if (message) console.error(`error: ${message}\n`);
  console.error(
    'usage: npm run demo -- [--port <n>] [--host <address>] [--rate <requests/s>] [--duration <seconds>]',
  );
  process.exit(message ? 2 : 0);
}

function readFlags(): Flags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  if (values['help']) usage();
  const number = (name: string, ok: (n: number) => boolean, expected: string): number | undefined => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !ok(n))
      usage(`--${name} must be ${expected}, got ${JSON.stringify(raw)}`);
    return n;
  };
  return {
    port: number('port', (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer from 0 to 65535'),
    host: values['host'] as string | undefined,
    rate:
      number(
        'rate',
        (n) => Number.isFinite(n) && n > 0 && n <= 10_000,
        'a number of requests per second (0 < rate <= 10000)',
      ) ?? 40,
    duration: number('duration', (n) => Number.isFinite(n) && n > 0, 'a positive number of seconds'),
  };
}

function summary(final: readonly FinalRecorder[]): string {
  const lines = ['final snapshot:'];
  for (const r of final) {
    const s = r.stats;
    lines.push(
      `  ${r.recorderId.padEnd(8)} emitted ${String(r.emitted).padStart(7)}  ` +
        (s === undefined
          ? 'no stats'
          : `offered ${s.offered}  processed ${s.processed}  dropped ${s.dropped}  rejected ${s.rejected}  pending ${s.pending}`),
    );
    for (const [name, snapshot] of Object.entries(r.snapshots)) {
      const d = snapshot.dimensions as Record<string, unknown>;
      const shown = Object.entries(d)
        .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
        .slice(0, 6)
        .map(([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 100) / 100 : v}`)
        .join(' ');
      lines.push(`      ${name.padEnd(28)} ${shown}`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const flags = readFlags();
  const startedAt = Date.now();
  let service;
  try {
    service = await startDemoService({
      port: flags.port ?? DEFAULT_PORT,
      host: flags.host,
      rate: flags.rate,
    });
  } catch (error) {
    if (flags.port === undefined && (error as { code?: string }).code === 'EADDRINUSE') {
      console.error(`port ${DEFAULT_PORT} is taken; using a free one`);
      service = await startDemoService({ port: 0, host: flags.host, rate: flags.rate });
    } else throw error;
  }
  const running = service;
  console.log(`mvx-common demo: a document-storage API under load (started in ${Date.now() - startedAt} ms)`);
  console.log(`  dashboard   ${running.dashboardUrl}`);
  console.log(`  API         ${running.apiUrl}/documents/<id>  (PUT, GET, DELETE)`);
  console.log(`  JSON        ${running.dashboardUrl}snapshots`);
  console.log(`  Prometheus  ${running.dashboardUrl}metrics`);
  console.log(flags.duration === undefined ? 'Ctrl-C to stop.' : `Stopping after ${flags.duration} s.`);

  let stopped = false;
  let deadline: NodeJS.Timeout | undefined;
  const stop = async (reason: string) => {
    if (stopped) return;
    stopped = true;
    clearTimeout(deadline);
    console.log(`\n${reason}: stopping…`);
    const final = await running.stop();
    console.log(summary(final));
    console.log(`final snapshot (JSON): ${JSON.stringify(final)}`);
    process.exitCode = 0;
  };
  process.once('SIGINT', () => void stop('interrupted'));
  process.once('SIGTERM', () => void stop('terminated'));
  if (flags.duration !== undefined) {
    deadline = setTimeout(() => void stop(`${flags.duration} s elapsed`), flags.duration * 1000);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
