/**
 * `npm run demo`: the demo service, compiled to JavaScript (build/demos), runs for `--duration 5`,
 * exits 0 and prints a final snapshot that accounts for every event.
 */
import { execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { RecorderReading } from 'mvx-common';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = resolve(ROOT, 'build', 'demos', 'dashboard', 'main.js');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly urlAfterMs: number | undefined;
}

function runDemo(args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let urlAfterMs: number | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (urlAfterMs === undefined && /dashboard\s+http:\/\//.test(stdout)) urlAfterMs = Date.now() - started;
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo did not exit within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr, urlAfterMs });
    });
  });
}

interface FinalRecorder extends RecorderReading {
  readonly emitted: number;
  readonly bridgeDropped: number;
  readonly bridgeUnsent: number;
}

describe('the demo service (npm run demo)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  }, 240_000);

  it('serves, runs for --duration 5, exits 0 and accounts for every event in its final snapshot', async () => {
    const run = await runDemo(['--duration', '5', '--port', '0', '--rate', '60']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/dashboard {3}http:\/\/127\.0\.0\.1:\d+\//);
    expect(run.stdout).toMatch(/Prometheus {2}http:\/\/127\.0\.0\.1:\d+\/metrics/);
    expect(run.urlAfterMs).toBeLessThan(15_000);
    const line = run.stdout.split('\n').find((l) => l.startsWith('final snapshot (JSON): '));
    expect(line).toBeDefined();
    const final = JSON.parse(line!.slice('final snapshot (JSON): '.length)) as FinalRecorder[];
    expect(final.map((r) => r.recorderId)).toEqual(['http', 'storage', 'loadgen']);
    for (const r of final) {
      const s = r.stats!;
      expect(s.pending).toBe(0);
      expect(s.offered).toBe(s.processed + s.dropped + s.rejected);
      // every event the components emitted on the main thread reached the worker's recorder
      expect(r.emitted).toBe(s.offered);
      expect(r.bridgeDropped).toBe(0);
      expect(r.bridgeUnsent).toBe(0);
      expect(s.offered).toBeGreaterThan(0);
    }
    const http = final.find((r) => r.recorderId === 'http')!;
    const requests = http.snapshots['http.requests']!.dimensions['total'] as number;
    const loadgen = final.find((r) => r.recorderId === 'loadgen')!;
    // the load generator saw an answer (or an error) for every request the API answered
    expect(loadgen.snapshots['loadgen.requests']!.dimensions['total']).toBe(requests);
    expect(requests).toBeGreaterThan(50);
  }, 90_000);

  it('stops cleanly on Ctrl-C (SIGINT) and prints the final snapshot', async () => {
    const child = spawn(process.execPath, [MAIN, '--port', '0', '--duration', '600'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
    try {
      const deadline = Date.now() + 20_000;
      while (!/dashboard\s+http:\/\//.test(stdout)) {
        if (Date.now() > deadline) throw new Error(`the demo did not start:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 1_500));
      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 20_000))]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/interrupted: stopping/);
      expect(stdout).toMatch(/^final snapshot \(JSON\): \[/m);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);

  it.each([
    [['--port', 'abc'], /--port must be an integer/],
    [['--rate', '0'], /--rate must be/],
    [['--duration=-1'], /--duration must be/],
    [['--duration', '0'], /--duration must be/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])(
    'refuses %p with exit code 2',
    async (args, message) => {
      const run = await runDemo(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/usage: npm run demo/);
    },
    30_000,
  );
});
