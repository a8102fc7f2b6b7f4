/**
 * Packs the package as npm would publish it, installs the tarball into a scratch project and uses it
 * from CommonJS (`require`), ES modules (`import`) and TypeScript (types through the exports map).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the packed package', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'mvx-pack-'));
    // `npm pack` runs the `prepack` script, which builds dist/.
    run(npm, ['pack', '--pack-destination', scratch, '--silent'], root);
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
    const rxjsVersion = (require(join(root, 'node_modules/rxjs/package.json')) as { version: string })
      .version;
    run(
      npm,
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--silent',
        `./${tarball}`,
        `rxjs@${rxjsVersion}`,
      ],
      scratch,
    );
  }, 240_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const scenario = `
    const metric = defineMetric({
      name: 'saves', kind: 'counter',
      accepts: (e) => e.type === 'save',
      init: () => ({ total: 0 }),
      reduce: (s) => ({ total: s.total + 1 }),
      dimensions: (s) => s,
    });
    const recorder = new MetricsRecorder('pack');
    recorder.registerMetric(metric);
    recorder.start().then(async (r) => {
      recorder.emit({ type: 'save' });
      recorder.emit({ type: 'save' });
      const total = recorder.getMetricSnapshot('saves').dimensions.total;
      await recorder.dispose();
      console.log(JSON.stringify({ ok: r.success, total, overflow: new RecorderOverflowError(1).code,
        collect: typeof collect, noop: typeof noopEmitter.emit }));
    });
  `;

  const expectedScenario = {
    ok: true,
    total: 2,
    overflow: 'QUEUE_OVERFLOW',
    collect: 'function',
    noop: 'function',
  };

  it('works with require()', () => {
    const file = join(scratch, 'use.cjs');
    writeFileSync(
      file,
      `const { defineMetric, MetricsRecorder, RecorderOverflowError, noopEmitter } = require('mvx-common');
       const { collect } = require('mvx-common/testing');
       ${scenario}`,
    );
    expect(JSON.parse(run(process.execPath, [file], scratch))).toEqual(expectedScenario);
  });

  it('works with import', () => {
    const file = join(scratch, 'use.mjs');
    writeFileSync(
      file,
      `import { defineMetric, MetricsRecorder, RecorderOverflowError, noopEmitter } from 'mvx-common';
       import { collect } from 'mvx-common/testing';
       ${scenario}`,
    );
    expect(JSON.parse(run(process.execPath, [file], scratch))).toEqual(expectedScenario);
  });

  it('ships types that TypeScript resolves for both module systems', () => {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    writeFileSync(
      join(scratch, 'typed.mts'),
      `import { MetricsRecorder, type RecorderStats } from 'mvx-common';
       import { collect } from 'mvx-common/testing';
       const r = new MetricsRecorder('typed');
       const stats: RecorderStats = r.getStats();
       const c = collect(r.state$);
       export const n: number = stats.offered + c.values.length;`,
    );
    writeFileSync(
      join(scratch, 'typed.cts'),
      `import mvx = require('mvx-common');
       const r = new mvx.MetricsRecorder('typed');
       export const s: mvx.RecorderState = r.getStatus();`,
    );
    const args = [
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--skipLibCheck',
    ];
    expect(() => run(process.execPath, [tsc, ...args, 'typed.mts', 'typed.cts'], scratch)).not.toThrow();
    // A wrong type is caught through the shipped declarations.
    writeFileSync(
      join(scratch, 'wrong.mts'),
      `import { MetricsRecorder } from 'mvx-common';\nconst n: number = new MetricsRecorder('x').getStatus();\nexport { n };`,
    );
    const wrong = spawnSync(process.execPath, [tsc, ...args, 'wrong.mts'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(
      /wrong.mts\(2,7\): error TS2322: Type 'string' is not assignable to type 'number'/,
    );
  });

  // mvx-common/otel: its peers (@opentelemetry/api, @opentelemetry/sdk-metrics) are optional. Without
  // them only that entry point fails, naming what is missing; with them it works from both module systems.
  it('mvx-common/otel without its peers: only that entry fails, naming the missing peer', () => {
    const cjs = join(scratch, 'otel-missing.cjs');
    writeFileSync(
      cjs,
      `require('mvx-common'); require('mvx-common/node'); require('mvx-common/testing');
       try { require('mvx-common/otel'); console.log('loaded'); }
       catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message.split('\\n')[0] })); }`,
    );
    const out = JSON.parse(run(process.execPath, [cjs], scratch)) as { code: string; message: string };
    expect(out.code).toBe('MODULE_NOT_FOUND');
    expect(out.message).toBe(
      'mvx-common/otel needs its optional peer dependencies @opentelemetry/api and @opentelemetry/sdk-metrics ' +
        '(npm install @opentelemetry/api@1.9 @opentelemetry/sdk-metrics@2)',
    );
    const esm = join(scratch, 'otel-missing.mjs');
    writeFileSync(
      esm,
      `await import('mvx-common'); await import('mvx-common/node');
       try { await import('mvx-common/otel'); console.log('loaded'); }
       catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`,
    );
    const outEsm = JSON.parse(run(process.execPath, [esm], scratch)) as { code: string; message: string };
    expect(outEsm.code).toBe('ERR_MODULE_NOT_FOUND');
    expect(outEsm.message).toMatch(/Cannot find package '@opentelemetry\/(api|sdk-metrics)'/);
  });

  it('mvx-common/otel with its peers: require, import and types', () => {
    const otel = (name: string): string =>
      (require(join(root, 'node_modules', name, 'package.json')) as { version: string }).version;
    run(
      npm,
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--silent',
        `@opentelemetry/api@${otel('@opentelemetry/api')}`,
        `@opentelemetry/sdk-metrics@${otel('@opentelemetry/sdk-metrics')}`,
      ],
      scratch,
    );
    const body = `
      const recorder = new MetricsRecorder('pack');
      recorder.registerMetric(counter({ name: 'saves', on: 'save' }));
      recorder.emit({ type: 'save' });
      const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3600000,
        metricProducers: [new MvxMetricProducer(recorder)] });
      const provider = new MeterProvider({ readers: [reader] });
      reader.forceFlush().then(async () => {
        const scope = exporter.getMetrics()[0].scopeMetrics.find((s) => s.scope.name === 'mvx-common');
        const saves = scope.metrics.find((m) => m.descriptor.name === 'saves');
        console.log(JSON.stringify({ value: saves.dataPoints[0].value, attrs: saves.dataPoints[0].attributes }));
        await provider.shutdown();
        await recorder.dispose();
      });`;
    const expected = { value: 1, attrs: { 'mvx.recorder': 'pack' } };
    writeFileSync(
      join(scratch, 'otel.cjs'),
      `const { MetricsRecorder, counter } = require('mvx-common');
       const { MvxMetricProducer } = require('mvx-common/otel');
       const { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
       ${body}`,
    );
    expect(JSON.parse(run(process.execPath, [join(scratch, 'otel.cjs')], scratch))).toEqual(expected);
    writeFileSync(
      join(scratch, 'otel.mjs'),
      `import { MetricsRecorder, counter } from 'mvx-common';
       import { MvxMetricProducer } from 'mvx-common/otel';
       import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
       ${body}`,
    );
    expect(JSON.parse(run(process.execPath, [join(scratch, 'otel.mjs')], scratch))).toEqual(expected);

    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    writeFileSync(
      join(scratch, 'otel-typed.mts'),
      `import { MetricsRecorder } from 'mvx-common';
       import { MvxMetricProducer, type MvxMetricProducerOptions } from 'mvx-common/otel';
       import { processMetrics, type ProcessMetricsSampler } from 'mvx-common/node';
       import { AggregationTemporality, PeriodicExportingMetricReader, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
       const recorder = new MetricsRecorder('typed');
       const options: MvxMetricProducerOptions = { aggregationTemporality: AggregationTemporality.DELTA };
       const reader = new PeriodicExportingMetricReader({
         exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA),
         metricProducers: [new MvxMetricProducer(recorder, options)],
       });
       const sampler: ProcessMetricsSampler = processMetrics(recorder);
       export { reader, sampler };`,
    );
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    // skipLibCheck off: the shipped declarations compile together with the peers' own
    const typed = spawnSync(
      process.execPath,
      [tsc, ...args, '--typeRoots', join(root, 'node_modules/@types'), '--types', 'node', 'otel-typed.mts'],
      {
        cwd: scratch,
        encoding: 'utf8',
      },
    );
    // (only errors of this entry point, its peers or this file count here: the core's own declarations
    // are checked elsewhere)
    const ours = typed.stdout
      .split('\n')
      .filter((l) => /adapters\/otel|@opentelemetry|otel-typed|node\/processMetrics/.test(l));
    expect(ours).toEqual([]);
    // a wrong option type is caught through them
    writeFileSync(
      join(scratch, 'otel-wrong.mts'),
      `import { MetricsRecorder } from 'mvx-common';\nimport { MvxMetricProducer } from 'mvx-common/otel';\nnew MvxMetricProducer(new MetricsRecorder('x'), { includeStats: 'yes' });\n`,
    );
    const wrong = spawnSync(process.execPath, [tsc, ...args, '--skipLibCheck', 'otel-wrong.mts'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    expect(wrong.stdout).toMatch(/otel-wrong.mts\(3,[0-9]+\): error TS2322/);
  }, 240_000);
});
