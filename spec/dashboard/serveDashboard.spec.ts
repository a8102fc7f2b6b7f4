import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { counter, MetricsRecorder, MetricsRuntime, readSnapshotSource, type WireHello } from 'mvx-common';
import { serveDashboard, type DashboardServer } from 'mvx-common/dashboard';
import { exposeToPrometheus } from 'mvx-common/prometheus';
import { Counter, Registry } from 'prom-client';
import { ensurePageBuilt } from '../helpers/pageBuild';
import { connectSse, payloads } from '../helpers/sse';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A raw request (the path is sent as is: no client-side normalisation of `..`). */
function fetchRaw(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('serveDashboard', () => {
  let dashboard: DashboardServer | undefined;
  let recorder: MetricsRecorder;

  beforeAll(() => ensurePageBuilt(), 120_000);

  beforeEach(() => {
    recorder = new MetricsRecorder('api');
    recorder.registerMetric(counter({ name: 'hits', on: 'hit' }));
    recorder.emit({ type: 'hit' });
  });

  afterEach(async () => {
    await dashboard?.close();
    dashboard = undefined;
    await recorder.dispose();
  });

  it('listens on 127.0.0.1 on a free port by default and serves the page with its title escaped', async () => {
    dashboard = await serveDashboard(recorder, { title: 'Orders <script>alert(1)</script> & "co"' });
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(dashboard.port).toBe(Number(new URL(dashboard.url).port));
    const page = await fetchRaw(dashboard.url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain(
      '<title>Orders &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;</title>',
    );
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toMatch(/https?:\/\//); // self-hosted: no CDN
    expect((await fetchRaw(dashboard.url, '/index.html')).body).toBe(page.body);
  });

  it('serves the page assets with their content types, validators and caching', async () => {
    dashboard = await serveDashboard(recorder);
    const page = (await fetchRaw(dashboard.url, '/')).body;
    const scripts = [...page.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.map((s) => s.split('?')[0])).toEqual([
      'assets/favicon.svg',
      'assets/dashboard.css',
      'assets/dashboard.js',
    ]);
    const types: Record<string, string> = {
      'assets/favicon.svg': 'image/svg+xml',
      'assets/dashboard.css': 'text/css; charset=utf-8',
      'assets/dashboard.js': 'text/javascript; charset=utf-8',
    };
    for (const href of scripts) {
      const reply = await fetchRaw(dashboard.url, `/${href}`);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe(types[href.split('?')[0]!]);
      expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(reply.headers['etag']).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(Number(reply.headers['content-length'])).toBe(Buffer.byteLength(reply.body));
      const again = await fetchRaw(dashboard.url, `/${href}`, {
        headers: { 'If-None-Match': reply.headers['etag'] as string },
      });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
    }
    const unversioned = await fetchRaw(dashboard.url, '/assets/dashboard.js');
    expect(unversioned.headers['cache-control']).toBe('no-cache');
    expect(unversioned.body).toContain('mvx.dashboard/1');
    const zipped = await fetchRaw(dashboard.url, '/assets/dashboard.js', {
      headers: { 'Accept-Encoding': 'br, gzip;q=0.8' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toBe('Accept-Encoding');
    expect(Number(zipped.headers['content-length'])).toBeLessThan(Buffer.byteLength(unversioned.body) / 2);
    const refused = await fetchRaw(dashboard.url, '/assets/dashboard.js', {
      headers: { 'Accept-Encoding': 'gzip;q=0' },
    });
    expect(refused.headers['content-encoding']).toBeUndefined();
    const head = await fetchRaw(dashboard.url, '/assets/dashboard.css', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it.each([
    '/assets/../package.json',
    '/assets/%2e%2e/package.json',
    '/assets/..%2fpackage.json',
    '/assets//etc/passwd',
    '/assets/dashboard.js/..',
    '/assets/dashboard.js%00',
    '/assets/index.html',
    '/assets/',
    '/../../etc/passwd',
    '/dist/dashboard/page/dashboard.js',
    '/nope',
    '/events/extra',
    '//events',
  ])('answers %s with 404', async (path) => {
    dashboard = await serveDashboard(recorder);
    const reply = await fetchRaw(dashboard.url, path);
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('Not Found\n');
  });

  it('refuses methods other than GET and HEAD', async () => {
    dashboard = await serveDashboard(recorder);
    for (const path of ['/', '/snapshots', '/assets/dashboard.js', '/events']) {
      const reply = await fetchRaw(dashboard.url, path, { method: 'POST' });
      expect(reply.status).toBe(405);
      expect(reply.headers['allow']).toBe('GET, HEAD');
    }
  });

  it('serves the current readings as JSON at /snapshots', async () => {
    const runtime = new MetricsRuntime({ namespace: 'svc' });
    await runtime.start();
    try {
      const a = await runtime.createRecorder('a');
      a.registerMetric(counter({ name: 'hits', on: 'hit', unit: '1' }));
      a.emit({ type: 'hit' });
      dashboard = await serveDashboard(runtime);
      const reply = await fetchRaw(dashboard.url, '/snapshots');
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(reply.headers['cache-control']).toBe('no-store');
      const body = JSON.parse(reply.body) as { time: number; recorders: unknown[] };
      expect(typeof body.time).toBe('number');
      const expected = readSnapshotSource(runtime).map((r) => ({ ...r, startTime: r.startTime ?? null }));
      expect(body.recorders).toEqual(JSON.parse(JSON.stringify(expected)));
    } finally {
      await dashboard?.close();
      dashboard = undefined;
      await runtime.shutdown();
    }
  });

  it('streams at /events, with history recorded before the first page opens', async () => {
    dashboard = await serveDashboard(recorder, { intervalMs: 50, history: 10 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const client = connectSse(`${dashboard.url}events`);
    const events = await client.waitFor((ev) => ev.some((e) => e.event === 'snapshot'));
    const hello = payloads<WireHello>(events, 'hello')[0]!;
    expect(hello).toMatchObject({ intervalMs: 50, history: 10 });
    expect(hello.latest).toBeGreaterThanOrEqual(3);
    expect(dashboard.events.getStats().clients).toBe(1);
    // close() ends the stream for the client and stops the server
    await dashboard.close();
    await client.closed;
    await dashboard.close();
    await expect(fetchRaw(dashboard.url, '/')).rejects.toThrow(/ECONNREFUSED/);
    dashboard = undefined;
  });

  it('serves the Prometheus text format at /metrics through the Prometheus adapter', async () => {
    recorder.emit({ type: 'hit' });
    dashboard = await serveDashboard(recorder);
    const reply = await fetchRaw(dashboard.url, '/metrics');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body).toMatch(/^# TYPE hits_total counter$/m);
    expect(reply.body).toMatch(/^hits_total\{recorder="api"\} 2$/m);
    expect(reply.body).toMatch(/mvx_recorder_events_offered_total\{recorder="api"\} 2/);
    const head = await fetchRaw(dashboard.url, '/metrics', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('uses the given registry, and serves it as it is when it already exposes the source', async () => {
    const registry = new Registry();
    const ownCounter = new Counter({
      name: 'app_own_total',
      help: 'the app’s own metric',
      registers: [registry],
    });
    ownCounter.inc(3);
    dashboard = await serveDashboard(recorder, { registry });
    const reply = await fetchRaw(dashboard.url, '/metrics');
    expect(reply.body).toMatch(/^app_own_total 3$/m);
    expect(reply.body).toMatch(/^hits_total\{recorder="api"\} 1$/m);
    await dashboard.close();
    // closing the dashboard removes its exposure from the registry
    expect(await registry.metrics()).not.toMatch(/hits_total/);
    const exposure = exposeToPrometheus(recorder, { registry });
    try {
      dashboard = await serveDashboard(recorder, { registry });
      const again = await fetchRaw(dashboard.url, '/metrics');
      expect(again.status).toBe(200);
      expect(again.body.match(/^hits_total\{recorder="api"\} 1$/gm)).toHaveLength(1);
    } finally {
      exposure.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      await expect(serveDashboard(recorder, { port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      blocker.close();
    }
  });

  it.each([
    [{ port: -1 }, RangeError, /options\.port/],
    [{ port: 65_536 }, RangeError, /options\.port/],
    [{ port: '80' }, TypeError, /options\.port/],
    [{ host: '' }, RangeError, /options\.host/],
    [{ host: 1 }, TypeError, /options\.host/],
    [{ title: 5 }, TypeError, /options\.title/],
    [{ registry: {} }, TypeError, /options\.registry/],
    [{ intervalMs: 1 }, RangeError, /options\.intervalMs/],
    [{ history: 0 }, RangeError, /options\.history/],
    [{ heartbeatMs: 1000 }, TypeError, /Unknown option "heartbeatMs"/],
  ])('rejects %p naming the option', async (options, type, message) => {
    const attempt = serveDashboard(recorder, options as never);
    await expect(attempt).rejects.toThrow(type);
    await expect(serveDashboard(recorder, options as never)).rejects.toThrow(message);
  });

  it('rejects a source that is not a recorder or runtime', async () => {
    await expect(serveDashboard({} as never)).rejects.toThrow(/`source`/);
  });
});
