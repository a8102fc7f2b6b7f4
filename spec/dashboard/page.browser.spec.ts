/**
 * The dashboard page in a real headless Chromium (Debian `chromium`, driven by playwright-core): it
 * loads without console errors, shows a panel for every metric of every kind, its headline values
 * move with the load, it reads `live`, it reconnects after the server restarts, and it renders the
 * demo service for the README's screenshot (docs/dashboard.png).
 *
 * Chromium is required: CI installs it (`.ci/run`). Without it this suite fails, it does not skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  counter,
  defineMetric,
  gauge,
  histogram,
  MetricsRuntime,
  outcomeCounter,
  quantiles,
  rate,
  readSnapshotSource,
  upDownCounter,
  type MetricEvent,
} from 'mvx-common';
import { serveDashboard, type DashboardServer } from 'mvx-common/dashboard';
import { ensurePageBuilt } from '../helpers/pageBuild';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '..', '..');

async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

interface Problems {
  readonly errors: string[];
}

function watch(page: Page): Problems {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return { errors };
}

/** Panels on the page: recorder, metric, kind and headline text. */
function panels(page: Page) {
  return page.$$eval('[data-metric]', (els) =>
    els.map((el) => {
      const e = el as HTMLElement;
      const value = e.querySelector('[data-value]') as HTMLElement | null;
      return {
        recorder: e.dataset['recorder']!,
        metric: e.dataset['metric']!,
        kind: e.dataset['kind']!,
        text: value?.textContent ?? null,
        raw: value?.dataset['value'] ?? null,
        charts: e.querySelectorAll('canvas').length,
      };
    }),
  );
}

const connection = (page: Page) => page.locator('[data-connection]');

type Ev = MetricEvent & Record<string, unknown>;

/** A runtime with every metric kind, and a load that keeps them all moving. */
async function everyKind(): Promise<{ runtime: MetricsRuntime; stop(): void }> {
  const runtime = new MetricsRuntime({ namespace: 'browser.test' });
  await runtime.start();
  const api = await runtime.createRecorder<Ev>('api');
  api.registerMetric(
    counter({ name: 'requests', on: 'req', by: ['route'], description: 'Requests by route' }),
  );
  api.registerMetric(counter({ name: 'bytes', on: 'req', value: 'bytes', unit: 'bytes' }));
  api.registerMetric(upDownCounter({ name: 'inflight', on: 'inflight', value: 'delta' }));
  api.registerMetric(gauge({ name: 'queue.depth', on: 'depth', value: 'n' }));
  api.registerMetric(histogram({ name: 'latency', on: 'req', value: 'ms', unit: 'ms' }));
  api.registerMetric(quantiles({ name: 'latency.q', on: 'req', value: 'ms', unit: 'ms' }));
  api.registerMetric(rate({ name: 'requests.rate', on: 'req', windowMs: 2_000 }));
  const jobs = await runtime.createRecorder<Ev>('jobs');
  jobs.registerMetric(outcomeCounter({ name: 'jobs.done', on: 'job' }));
  jobs.registerMetric(
    defineMetric({
      name: 'jobs.custom',
      accepts: (e: MetricEvent): e is Ev => e.type === 'job',
      init: () => ({ seen: 0, last: 'none' }),
      reduce: (s, e: Ev) => ({ seen: s.seen + 1, last: String(e['outcome']) }),
      dimensions: (s) => s,
    }),
  );
  let i = 0;
  const timer = setInterval(() => {
    for (let k = 0; k < 5; k++) {
      i++;
      api.emit({ type: 'req', route: ['/a', '/b', '/c'][i % 3], bytes: 100 + (i % 50), ms: 1 + (i % 97) });
      api.emit({ type: 'inflight', delta: i % 2 === 0 ? 1 : -1 });
      api.emit({ type: 'depth', n: i % 17 });
      jobs.emit({ type: 'job', outcome: i % 9 === 0 ? 'failure' : 'success' });
    }
  }, 20);
  return { runtime, stop: () => clearInterval(timer) };
}

describe('the dashboard page in Chromium', () => {
  let browser: Browser | undefined;
  let dashboard: DashboardServer | undefined;
  let source: { runtime: MetricsRuntime; stop(): void } | undefined;
  let demo: ChildProcess | undefined;

  beforeAll(async () => {
    ensurePageBuilt();
    browser = await launch();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    await dashboard?.close();
    dashboard = undefined;
    source?.stop();
    await source?.runtime.shutdown();
    source = undefined;
    if (demo && demo.exitCode === null) {
      const exited = new Promise((r) => demo!.once('exit', r));
      demo.kill('SIGINT');
      await exited;
    }
    demo = undefined;
  });

  it('shows every metric of every kind, live, with moving headlines and no console errors', async () => {
    source = await everyKind();
    dashboard = await serveDashboard(source.runtime, { intervalMs: 250, title: 'Browser test' });
    const page = await browser!.newPage({ viewport: { width: 1400, height: 2400 } });
    const problems = watch(page);
    try {
      await page.goto(dashboard.url);
      expect(await page.title()).toBe('Browser test');
      await connection(page)
        .filter({ hasText: /^live$/ })
        .waitFor({ timeout: 20_000 });
      expect(await connection(page).getAttribute('data-connection')).toBe('live');

      const expected = readSnapshotSource(source.runtime).flatMap((r) =>
        Object.keys(r.snapshots).map((m) => `${r.recorderId}/${m}`),
      );
      expect(expected).toHaveLength(9);
      await page.waitForFunction(
        (want) =>
          want.every((k) =>
            [...document.querySelectorAll<HTMLElement>('[data-metric]')].some(
              (el) => `${el.dataset['recorder']}/${el.dataset['metric']}` === k,
            ),
          ),
        expected,
        { timeout: 20_000 },
      );
      // charts draw once there are points (rates need two ticks, windowed quantiles a few)
      await page.waitForFunction(
        () =>
          [
            ...document.querySelectorAll(
              '[data-recorder="api"][data-metric], [data-recorder="jobs"][data-metric]',
            ),
          ].every((p) => p.querySelector('canvas')),
        undefined,
        { timeout: 20_000 },
      );
      const first = await panels(page);
      const server = first.filter((p) => p.recorder !== 'dashboard.page');
      expect(server.map((p) => `${p.recorder}/${p.metric}`).sort()).toEqual([...expected].sort());
      expect(Object.fromEntries(server.map((p) => [p.metric, p.kind]))).toEqual({
        requests: 'counter',
        bytes: 'counter',
        inflight: 'up-down counter',
        'queue.depth': 'gauge',
        latency: 'histogram',
        'latency.q': 'quantiles',
        'requests.rate': 'rate',
        'jobs.done': 'outcomes',
        'jobs.custom': 'custom',
      });
      // a counter's headline is its total, exactly
      const total = Number(server.find((p) => p.metric === 'requests')!.raw);
      expect(server.find((p) => p.metric === 'requests')!.text).toBe(total.toLocaleString('en-US'));
      await new Promise((r) => setTimeout(r, 1_500));
      const later = await panels(page);
      const moved = (metric: string) =>
        later.find((p) => p.metric === metric)!.raw !== first.find((p) => p.metric === metric)!.raw;
      for (const metric of ['requests', 'bytes', 'jobs.done', 'jobs.custom'])
        expect(moved(metric)).toBe(true);
      expect(Number(later.find((p) => p.metric === 'requests')!.raw)).toBeGreaterThan(total);

      // the health strip and the page's own recorder
      const health = await page.$$eval('.health[data-recorder="api"] [data-stat]', (els) =>
        els.map((e) => (e as HTMLElement).dataset['stat']),
      );
      expect(health).toEqual([
        'offered',
        'processed',
        'pending',
        'dropped',
        'rejected',
        'metricErrors',
        'uptime',
      ]);
      const own = later.filter((p) => p.recorder === 'dashboard.page').map((p) => p.metric);
      expect(own).toEqual(expect.arrayContaining(['page.frame.ms', 'page.update.lag.ms', 'page.updates']));

      // the time window and pause controls
      await page.click('[data-window="60000"]');
      expect(await page.getAttribute('[data-window="60000"]', 'aria-pressed')).toBe('true');
      await page.click('#pause');
      const paused = (await panels(page)).find((p) => p.metric === 'requests')!.raw;
      await new Promise((r) => setTimeout(r, 800));
      expect((await panels(page)).find((p) => p.metric === 'requests')!.raw).toBe(paused);
      await page.click('#pause');
      await page.waitForFunction(
        (before) =>
          document.querySelector('[data-metric="requests"] [data-value]')?.getAttribute('data-value') !==
          before,
        paused,
        { timeout: 10_000 },
      );
      expect(problems.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('adds and removes panels as recorders and metrics come and go', async () => {
    source = await everyKind();
    dashboard = await serveDashboard(source.runtime, { intervalMs: 250 });
    const page = await browser!.newPage({ viewport: { width: 1200, height: 1600 } });
    const problems = watch(page);
    const has = (recorder: string, metric: string) =>
      page.waitForFunction(
        ([r, m]) =>
          [...document.querySelectorAll<HTMLElement>('[data-metric]')].some(
            (el) => el.dataset['recorder'] === r && el.dataset['metric'] === m,
          ),
        [recorder, metric] as const,
        { timeout: 20_000 },
      );
    try {
      await page.goto(dashboard.url);
      await has('api', 'requests');
      const late = await source.runtime.createRecorder<Ev>('late');
      late.registerMetric(counter({ name: 'late.hits', on: 'hit' }));
      late.emit({ type: 'hit' });
      await has('late', 'late.hits');
      late.registerMetric(gauge({ name: 'late.level', on: 'level', value: 'n' }));
      late.emit({ type: 'level', n: 3 });
      await has('late', 'late.level');
      await source.runtime.stopAndRemoveRecorder('late');
      await page.waitForFunction(() => document.querySelector('[data-recorder="late"]') === null, undefined, {
        timeout: 20_000,
      });
      expect(problems.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('reconnects after the server restarts on the same port', async () => {
    source = await everyKind();
    dashboard = await serveDashboard(source.runtime, { intervalMs: 250 });
    const port = dashboard.port;
    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const problems = watch(page);
    try {
      await page.goto(dashboard.url);
      await connection(page)
        .filter({ hasText: /^live$/ })
        .waitFor({ timeout: 20_000 });
      await dashboard.close();
      await page.waitForFunction(
        () => document.querySelector('[data-connection]')?.getAttribute('data-connection') !== 'live',
        undefined,
        {
          timeout: 20_000,
        },
      );
      const during = await connection(page).textContent();
      expect(during).toMatch(/connecting|reconnecting/);
      await new Promise((r) => setTimeout(r, 1_000));
      dashboard = await serveDashboard(source.runtime, { port, intervalMs: 250 });
      await connection(page)
        .filter({ hasText: /^live$/ })
        .waitFor({ timeout: 30_000 });
      const before = (await panels(page)).find((p) => p.metric === 'requests')!.raw;
      await page.waitForFunction(
        (b) =>
          document
            .querySelector('[data-recorder="api"][data-metric="requests"] [data-value]')
            ?.getAttribute('data-value') !== b,
        before,
        { timeout: 20_000 },
      );
      // while the server was down, the browser reported the refused stream requests; nothing else
      const unexpected = problems.errors.filter((e) => !/\/events|ERR_CONNECTION_REFUSED|net::ERR/.test(e));
      expect(unexpected).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('renders the demo service (the README screenshot, docs/dashboard.png with UPDATE_SCREENSHOT=1)', async () => {
    const main = join(ROOT, 'build', 'demos', 'dashboard', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build`);
    demo = spawn(process.execPath, [main, '--port', '0', '--duration', '120'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      demo!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /dashboard\s+(http:\/\/\S+)/.exec(out);
        if (m) resolveUrl(m[1]!);
      });
      demo!.once('exit', (code) => reject(new Error(`the demo exited (${code}): ${out}`)));
    });
    const page = await browser!.newPage({
      viewport: { width: 1440, height: 1500 },
      deviceScaleFactor: 1,
      colorScheme: 'light',
    });
    const problems = watch(page);
    try {
      await page.goto(url);
      await connection(page)
        .filter({ hasText: /^live$/ })
        .waitFor({ timeout: 20_000 });
      // 28 s in: the first error burst (8-14 s) and the latency spike (26-31 s) are on the charts
      await new Promise((r) => setTimeout(r, 28_000));
      const shown = await panels(page);
      expect(shown.filter((p) => p.recorder === 'http').length).toBeGreaterThanOrEqual(6);
      expect(shown.filter((p) => p.recorder === 'storage').length).toBeGreaterThanOrEqual(6);
      // The README's screenshot is rewritten only on request (UPDATE_SCREENSHOT=1), so a test run leaves
      // the checkout clean; otherwise the picture goes to a temporary folder and is checked there.
      const update = process.env['UPDATE_SCREENSHOT'] === '1';
      const dir = update ? join(ROOT, 'docs') : mkdtempSync(join(tmpdir(), 'mvx-screenshot-'));
      try {
        const file = join(dir, 'dashboard.png');
        await page.screenshot({ path: file });
        const png = readFileSync(file);
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect(png.length).toBeGreaterThan(50_000);
      } finally {
        if (!update) rmSync(dir, { recursive: true, force: true });
      }
      expect(problems.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
