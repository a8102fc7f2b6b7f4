/**
 * The built package (dist/): `mvx-common/dashboard` from CommonJS and from ES modules finds its page
 * next to itself and serves it; the root's browser client is there too. Runs in child processes that
 * resolve the package by name (Node's self-reference through `exports`).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

const body = `
  const recorder = new MetricsRecorder('dist');
  recorder.registerMetric(counter({ name: 'hits', on: 'hit' }));
  recorder.emit({ type: 'hit' });
  const dashboard = await serveDashboard(recorder, { title: 'from dist' });
  const page = await (await fetch(dashboard.url)).text();
  const js = await fetch(dashboard.url + 'assets/dashboard.js');
  const snapshots = await (await fetch(dashboard.url + 'snapshots')).json();
  const metrics = await fetch(dashboard.url + 'metrics');
  const metricsText = await metrics.text();
  await dashboard.close();
  await recorder.dispose();
  console.log(JSON.stringify({
    title: /<title>from dist<\\/title>/.test(page),
    js: js.status + ' ' + js.headers.get('content-type'),
    total: snapshots.recorders[0].snapshots.hits.dimensions.total,
    client: typeof snapshotsFromEventSource + ' ' + typeof histogramQuantile,
    metrics: metrics.status + ' ' + (metrics.status === 200 ? /hits_total\\{recorder="dist"\\} 1/.test(metricsText) : metricsText.trim()),
  }));
`;

const expected = {
  title: true,
  js: '200 text/javascript; charset=utf-8',
  total: 1,
  client: 'function function',
  metrics: '200 true',
};

describe('mvx-common/dashboard from the build', () => {
  let dir: string;
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    // inside the package, so `mvx-common` resolves to the package itself
    dir = mkdtempSync(join(ROOT, 'build', 'dist-spec-'));
  }, 240_000);
  const cleanup: string[] = [];
  afterAll(() => {
    for (const d of [dir, ...cleanup]) rmSync(d, { recursive: true, force: true });
  });

  it('works with require() (dist/cjs)', () => {
    const file = join(dir, 'use.cjs');
    writeFileSync(
      file,
      `const { MetricsRecorder, counter, snapshotsFromEventSource, histogramQuantile } = require('mvx-common');
       const { serveDashboard } = require('mvx-common/dashboard');
       (async () => { ${body} })();`,
    );
    expect(JSON.parse(execFileSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8' }))).toEqual(
      expected,
    );
  });

  it('works without prom-client installed: /metrics says what to install', () => {
    // a project whose node_modules has rxjs and mvx-common but no prom-client
    const project = mkdtempSync(join(tmpdir(), 'mvx-no-prom-'));
    cleanup.push(project);
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    // the package as installed: its package.json and dist/, without its own node_modules
    const installed = join(project, 'node_modules', 'mvx-common');
    mkdirSync(installed);
    copyFileSync(join(ROOT, 'package.json'), join(installed, 'package.json'));
    symlinkSync(join(ROOT, 'dist'), join(installed, 'dist'));
    symlinkSync(join(ROOT, 'node_modules', 'rxjs'), join(project, 'node_modules', 'rxjs'));
    const file = join(project, 'use.cjs');
    writeFileSync(
      file,
      `const { MetricsRecorder, counter, snapshotsFromEventSource, histogramQuantile } = require('mvx-common');
       const { serveDashboard } = require('mvx-common/dashboard');
       (async () => { ${body} })();`,
    );
    const out = JSON.parse(
      execFileSync(process.execPath, ['--preserve-symlinks', file], { cwd: project, encoding: 'utf8' }),
    ) as typeof expected;
    expect(out).toEqual({
      ...expected,
      metrics:
        '404 Prometheus metrics need the optional peer dependency prom-client: npm install prom-client@^15',
    });
  });

  it('works with import (dist/esm)', () => {
    const file = join(dir, 'use.mjs');
    writeFileSync(
      file,
      `import { MetricsRecorder, counter, snapshotsFromEventSource, histogramQuantile } from 'mvx-common';
       import { serveDashboard } from 'mvx-common/dashboard';
       ${body}`,
    );
    expect(JSON.parse(execFileSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8' }))).toEqual(
      expected,
    );
  });
});
