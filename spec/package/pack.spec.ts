/**
 * The package a user installs: packs it as npm would publish it (which builds dist/), installs the
 * tarball into a scratch project with the peer dependencies listed in package.json, and uses it as a new
 * user would:
 *
 *  - from CommonJS (`require`) and ES modules (`import`), and both builds in one process (class identity);
 *  - from TypeScript: every entry point of the `exports` map (read from package.json, so new entry points
 *    are covered without editing this file), as `.mts` and `.cts` under `nodenext`, strict, with
 *    `skipLibCheck: false` and Node's types, and the browser entry points in a browser project (`bundler`
 *    resolution, DOM, no Node types); on the TypeScript the repository pins and on the latest TypeScript 7
 *    from the registry (when it installs; the test says so when it does not);
 *  - source maps that resolve inside the package, README and docs links that resolve inside the package;
 *  - a browser bundle (esbuild, in memory) that leaves out what it does not import, within a size bound.
 *
 * One pack and one install, reused by every test. Network: the npm registry only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { isRelativeLink, markdownLinks } from '../helpers/markdown.js';

const root = resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackageJson {
  readonly name: string;
  readonly exports: Record<string, unknown>;
  readonly files: readonly string[];
  readonly peerDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

/** Every entry point of the exports map (`.`, `./metrics`, ...), as the specifier a user imports. */
const ENTRY_POINTS = Object.entries(pkg.exports)
  .filter(([key, target]) => key !== './package.json' && typeof target === 'object' && target !== null)
  .map(([key]) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));
/** Entry points that run in browsers: they must compile without Node's types. */
const BROWSER_ENTRY_POINTS = ['mvx-common', 'mvx-common/metrics', 'mvx-common/logger', 'mvx-common/testing'];

function run(cmd: string, args: readonly string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The version installed in the repository (so the scratch install is served from npm's cache), else the range. */
function installedVersion(name: string, range: string): string {
  const file = join(root, 'node_modules', name, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : range;
}

/** Files of a directory, recursively, as paths relative to it with `/` separators. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'));
}

const slug = (specifier: string) => specifier.replace(/[^a-z0-9]+/gi, '_');

describe('the packed package', () => {
  let scratch: string;
  let installed: string;
  let shipped: string[];
  /** TypeScript 7's tsc, or why it could not be installed. */
  let ts7: { readonly tsc: string; readonly version: string } | { readonly error: string };

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'mvx-pack-'));
    // `npm pack` runs the `prepack` script, which builds dist/.
    run(npm, ['pack', '--pack-destination', scratch, '--silent'], root);
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
    const peers = Object.entries(pkg.peerDependencies ?? {}).map(
      ([name, range]) => `${name}@${installedVersion(name, range)}`,
    );
    const typesNode = `@types/node@${installedVersion('@types/node', '*')}`;
    const flags = ['--no-audit', '--no-fund', '--silent'];
    run(npm, ['install', '--prefer-offline', ...flags, `./${tarball}`, ...peers, typesNode], scratch);
    installed = join(scratch, 'node_modules', pkg.name);
    shipped = listFiles(installed);
    try {
      run(npm, ['install', ...flags, 'typescript-7@npm:typescript@7'], scratch);
      const tsc = join(scratch, 'node_modules/typescript-7/bin/tsc');
      ts7 = { tsc, version: run(process.execPath, [tsc, '--version'], scratch).trim() };
    } catch (error) {
      ts7 = { error: String((error as { stderr?: unknown }).stderr || error) };
    }
  }, 300_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe('at run time', () => {
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

    it('loads every entry point under both module systems', () => {
      const file = join(scratch, 'entries.mjs');
      writeFileSync(
        file,
        `import { createRequire } from 'node:module';
         const require = createRequire(import.meta.url);
         const out = {};
         for (const id of ${JSON.stringify(ENTRY_POINTS)}) {
           const esm = Object.keys(await import(id)).sort();
           const cjs = Object.keys(require(id)).filter((k) => k !== '__esModule').sort();
           out[id] = { esm: esm.length, same: JSON.stringify(esm) === JSON.stringify(cjs) };
         }
         console.log(JSON.stringify(out));`,
      );
      const out = JSON.parse(run(process.execPath, [file], scratch)) as Record<
        string,
        { esm: number; same: boolean }
      >;
      for (const id of ENTRY_POINTS) {
        expect([id, out[id]!.esm > 0, out[id]!.same]).toEqual([id, true, true]);
      }
    });

    it('keeps error and log-context identity when both builds are loaded in one process', () => {
      // The dual-package hazard (docs/overview.md): each build has its own classes. instanceof of the
      // error classes and LogContext still works across them.
      const file = join(scratch, 'dual.mjs');
      writeFileSync(
        file,
        `import { createRequire } from 'node:module';
         const require = createRequire(import.meta.url);
         const builds = { esm: {}, cjs: {} };
         for (const id of ${JSON.stringify(ENTRY_POINTS)}) {
           Object.assign(builds.esm, await import(id));
           Object.assign(builds.cjs, require(id));
         }
         const { esm, cjs } = builds;
         const errorClasses = Object.keys(esm).filter(
           (k) => typeof esm[k] === 'function' && esm[k].prototype instanceof Error);
         const mismatches = [];
         for (const made of errorClasses) {
           for (const tested of errorClasses) {
             const within = Object.create(esm[made].prototype) instanceof esm[tested];
             if ((Object.create(cjs[made].prototype) instanceof esm[tested]) !== within) mismatches.push(made + ' vs ' + tested);
             if ((Object.create(esm[made].prototype) instanceof cjs[tested]) !== within) mismatches.push(made + ' vs ' + tested);
           }
         }
         // a real error of one build, checked against the other build's classes
         const recorder = new cjs.MetricsRecorder('dual');
         await recorder.dispose();
         const result = await recorder.start();
         const sink = new esm.MemorySink();
         const logged = new cjs.MetricsRecorder('logged', { logContext: esm.LogContext.root({ sink }) });
         await logged.start();
         await logged.dispose();
         console.log(JSON.stringify({
           twoRecorderClasses: esm.MetricsRecorder !== cjs.MetricsRecorder,
           errorClasses: errorClasses.length,
           mismatches,
           startError: result.error instanceof esm.RecorderInvalidStateError,
           asBase: result.error instanceof esm.MetricsRecorderError && result.error instanceof esm.MetricsError,
           notRuntime: result.error instanceof esm.RuntimeInvalidStateError,
           overflow: new cjs.RecorderOverflowError(1) instanceof esm.RecorderOverflowError,
           logDelivery: new esm.LogDeliveryError('e', 1) instanceof cjs.LogDeliveryError,
           logContext: esm.LogContext.root({ sink }) instanceof cjs.LogContext,
           loggedAcross: sink.events.length > 0,
         }));`,
      );
      const out = JSON.parse(run(process.execPath, [file], scratch)) as Record<string, unknown>;
      expect(out).toEqual({
        twoRecorderClasses: true,
        errorClasses: expect.any(Number),
        mismatches: [],
        startError: true,
        asBase: true,
        notRuntime: false,
        overflow: true,
        logDelivery: true,
        logContext: true,
        loggedAcross: true,
      });
      expect(out['errorClasses']).toBeGreaterThanOrEqual(18);
    });
  });

  describe('types', () => {
    const nodeConfig = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['es2022'],
      types: ['node'],
      skipLibCheck: false,
      noEmit: true,
    };
    // A browser project: a bundler's resolution, DOM instead of Node's types.
    const browserConfig = {
      ...nodeConfig,
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom'],
      types: [],
    };

    /** Writes one `.mts` and one `.cts` file per entry point, plus usage files; returns the projects. */
    function writeProjects(): { node: string; browser: string } {
      const dir = join(scratch, 'types');
      mkdirSync(dir, { recursive: true });
      const files = (entries: readonly string[], ext: readonly ('mts' | 'cts')[]) =>
        entries.flatMap((id) => ext.map((e) => `${slug(id)}.${e}`));
      for (const id of ENTRY_POINTS) {
        writeFileSync(
          join(dir, `${slug(id)}.mts`),
          `import * as ns from '${id}';\nexport const names: readonly string[] = Object.keys(ns);\n`,
        );
        writeFileSync(
          join(dir, `${slug(id)}.cts`),
          `import ns = require('${id}');\nexport const names: readonly string[] = Object.keys(ns);\n`,
        );
      }
      writeFileSync(
        join(dir, 'typed.mts'),
        `import { MetricsRecorder, counter, type RecorderStats } from 'mvx-common';
         import { collect } from 'mvx-common/testing';
         const r = new MetricsRecorder('typed');
         r.registerMetric(counter({ name: 'c', on: 'e' }));
         const stats: RecorderStats = r.getStats();
         const c = collect(r.state$);
         export const n: number = stats.offered + c.values.length;`,
      );
      writeFileSync(
        join(dir, 'typed.cts'),
        `import mvx = require('mvx-common');
         const r = new mvx.MetricsRecorder('typed');
         export const s: mvx.RecorderState = r.getStatus();`,
      );
      const write = (name: string, options: object, included: string[]) => {
        writeFileSync(
          join(dir, name),
          JSON.stringify({ compilerOptions: options, files: included }, null, 2),
        );
        return join(dir, name);
      };
      return {
        node: write('tsconfig.node.json', nodeConfig, [
          ...files(ENTRY_POINTS, ['mts', 'cts']),
          'typed.mts',
          'typed.cts',
        ]),
        browser: write('tsconfig.browser.json', browserConfig, files(BROWSER_ENTRY_POINTS, ['mts'])),
      };
    }

    function typeCheck(tsc: string, project: string): string[] {
      const r = spawnSync(process.execPath, [tsc, '-p', project], { cwd: scratch, encoding: 'utf8' });
      return r.status === 0 ? [] : [`${r.stdout}${r.stderr}`.trim() || `tsc exited with ${r.status}`];
    }

    let projects: { node: string; browser: string };
    beforeAll(() => {
      projects = writeProjects();
    });
    const pinnedTsc = join(root, 'node_modules/typescript/bin/tsc');

    it('covers every entry point of the exports map', () => {
      expect(ENTRY_POINTS).toEqual(
        expect.arrayContaining(['mvx-common', ...BROWSER_ENTRY_POINTS, 'mvx-common/node']),
      );
      for (const id of BROWSER_ENTRY_POINTS) expect(ENTRY_POINTS).toContain(id);
    });

    it('type-check on the pinned TypeScript: every entry point, ESM and CJS, strict, skipLibCheck false', () => {
      expect(typeCheck(pinnedTsc, projects.node)).toEqual([]);
    }, 120_000);

    it('type-check in a browser project (bundler resolution, DOM, no Node types) for the browser entry points', () => {
      expect(typeCheck(pinnedTsc, projects.browser)).toEqual([]);
    }, 120_000);

    it('type-check on the latest TypeScript 7 (warns instead when the registry has none)', () => {
      if ('error' in ts7) {
        console.warn(
          `TypeScript 7 could not be installed from the registry, so only the pinned TypeScript checked the ` +
            `shipped declarations:\n${ts7.error}`,
        );
        return;
      }
      expect(ts7.version).toMatch(/^Version 7\./);
      expect([ts7.version, ...typeCheck(ts7.tsc, projects.node)]).toEqual([ts7.version]);
      expect([ts7.version, ...typeCheck(ts7.tsc, projects.browser)]).toEqual([ts7.version]);
    }, 120_000);

    it('reports a wrong type through the shipped declarations', () => {
      const dir = join(scratch, 'types');
      writeFileSync(
        join(dir, 'wrong.mts'),
        `import { MetricsRecorder } from 'mvx-common';\nconst n: number = new MetricsRecorder('x').getStatus();\nexport { n };`,
      );
      writeFileSync(
        join(dir, 'tsconfig.wrong.json'),
        JSON.stringify({ compilerOptions: nodeConfig, files: ['wrong.mts'] }),
      );
      const [out] = typeCheck(pinnedTsc, join(dir, 'tsconfig.wrong.json'));
      expect(out).toMatch(/wrong.mts\(2,7\): error TS2322: Type 'string' is not assignable to type 'number'/);
    }, 120_000);
  });

  describe('contents', () => {
    it('ships only what package.json `files` lists', () => {
      const top = new Set(shipped.map((f) => f.split('/')[0]!));
      const allowed = new Set([...pkg.files, 'package.json', 'LICENSE']);
      expect([...top].filter((f) => !allowed.has(f))).toEqual([]);
      expect(shipped).toContain('dist/esm/index.js');
    });

    it('has source maps whose sources resolve inside the package', () => {
      const maps = shipped.filter((f) => f.endsWith('.map'));
      expect(maps.length).toBeGreaterThan(50);
      const problems: string[] = [];
      for (const map of maps) {
        const json = JSON.parse(readFileSync(join(installed, map), 'utf8')) as {
          sources: string[];
          sourceRoot?: string;
          sourcesContent?: (string | null)[];
        };
        json.sources.forEach((source, i) => {
          if (typeof json.sourcesContent?.[i] === 'string') return;
          const file = resolve(dirname(join(installed, map)), json.sourceRoot ?? '', source);
          if (!file.startsWith(installed + sep) || !existsSync(file)) problems.push(`${map}: ${source}`);
        });
      }
      expect(problems).toEqual([]);
    });

    it('points every sourceMappingURL at a shipped map', () => {
      const problems: string[] = [];
      for (const f of shipped.filter((x) => /\.(js|d\.ts)$/.test(x))) {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(installed, f), 'utf8'))?.[1];
        if (url === undefined) continue;
        if (!existsSync(join(installed, dirname(f), url))) problems.push(`${f}: ${url}`);
      }
      expect(problems).toEqual([]);
    });

    it('has README and docs links that resolve inside the package', () => {
      const docs = ['README.md', ...shipped.filter((f) => /^docs\/[^/]+\.md$/.test(f))];
      expect(docs.length).toBeGreaterThan(5);
      const broken: string[] = [];
      for (const doc of docs) {
        for (const { target, line } of markdownLinks(readFileSync(join(installed, doc), 'utf8'))) {
          if (!isRelativeLink(target)) continue;
          const path = decodeURIComponent(target.split('#')[0]!);
          if (path === '') continue;
          const file = resolve(dirname(join(installed, doc)), path);
          if (!file.startsWith(installed + sep) || !existsSync(file))
            broken.push(`${doc}:${line}: ${target}`);
        }
      }
      expect(broken).toEqual([]);
    });
  });

  describe('in a browser bundle', () => {
    /** Bundles `contents` from the installed package (esbuild, browser, minified, in memory). */
    async function bundle(contents: string) {
      const result = await esbuild.build({
        stdin: { contents, resolveDir: scratch, loader: 'js' },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        minify: true,
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const output = Object.values(result.metafile.outputs)[0]!;
      const prefix = `node_modules/${pkg.name}/`;
      const modules = Object.entries(output.inputs)
        .filter(([file, info]) => file.includes(prefix) && info.bytesInOutput > 0)
        .map(([file]) => file.slice(file.indexOf(prefix) + prefix.length));
      return { modules, gzip: gzipSync(result.outputFiles[0]!.contents).length };
    }

    it('leaves out what a recorder with one counter does not use', async () => {
      const { modules, gzip } = await bundle(
        `import { MetricsRecorder, counter } from 'mvx-common';
         const recorder = new MetricsRecorder('app');
         recorder.registerMetric(counter({ name: 'requests', on: 'request' }));
         recorder.emit({ type: 'request' });
         console.log(recorder.getMetricSnapshot('requests'));`,
      );
      expect(modules).toEqual(
        expect.arrayContaining([
          'dist/esm/metrics/recorder/MetricsRecorder.js',
          'dist/esm/metrics/kinds/counter.js',
        ]),
      );
      const unwanted = modules.filter((m) =>
        /^dist\/esm\/(metrics\/runtime|metrics\/bridge|node|dashboard|adapters|logger\/sinks)\/|\/(LogContext|PayloadNormalizer|histogram|quantiles|mergeSnapshots|snapshotSource)\.js$/.test(
          m,
        ),
      );
      expect(unwanted).toEqual([]);
      // A budget, rxjs included: 26 KB before the build marked dist/esm side-effect free (docs/performance.md).
      expect(gzip).toBeLessThan(24_000);
    });

    it('bundles nothing of an entry point imported for its side effects only', async () => {
      for (const id of BROWSER_ENTRY_POINTS) {
        expect([id, (await bundle(`import '${id}';`)).modules]).toEqual([id, []]);
      }
    });
  });

  // mvx-common/otel: its peers (@opentelemetry/api, @opentelemetry/sdk-metrics) are optional. Without
  // them only that entry point fails, naming what is missing; with them it works from both module systems.
  it('mvx-common/otel without its peers: only that entry fails, naming the missing peer', () => {
    withBareProject(otelMissing);
  });

  /** Runs `use` in a project with the package and rxjs only (the scratch project has every peer installed). */
  function withBareProject(use: (dir: string) => void): void {
    const bare = mkdtempSync(join(tmpdir(), 'mvx-bare-'));
    const modules = join(bare, 'node_modules');
    mkdirSync(modules);
    cpSync(join(scratch, 'node_modules', 'mvx-common'), join(modules, 'mvx-common'), { recursive: true });
    symlinkSync(join(scratch, 'node_modules', 'rxjs'), join(modules, 'rxjs'), 'dir');
    writeFileSync(join(bare, 'package.json'), JSON.stringify({ name: 'bare', private: true }));
    try {
      use(bare);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  }

  function otelMissing(scratch: string): void {
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
  }

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
    const nodeTypes = ['--typeRoots', join(root, 'node_modules/@types'), '--types', 'node'];
    const wrong = spawnSync(process.execPath, [tsc, ...args, ...nodeTypes, 'otel-wrong.mts'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    expect(wrong.stdout).toMatch(/otel-wrong.mts\(3,[0-9]+\): error TS2322/);
    // and nothing else: the shipped declarations add no error of their own (skipLibCheck stays off)
    expect(wrong.stdout.split('\n').filter((l) => /error TS/.test(l) && !/otel-wrong/.test(l))).toEqual([]);
  }, 240_000);

  it('loads mvx-common/prometheus without its optional peer prom-client, and says what is missing', () => {
    withBareProject((bare) => {
      const use = (ext: string, imports: string) => {
        const file = join(bare, `prom.${ext}`);
        writeFileSync(
          file,
          `${imports}
         let error;
         try { exposeToPrometheus(new MetricsRecorder('x')); } catch (e) { error = e; }
         console.log(JSON.stringify({ code: error && error.code, message: error && error.message }));`,
        );
        return JSON.parse(run(process.execPath, [file], bare)) as { code: string; message: string };
      };
      for (const result of [
        use(
          'cjs',
          `const { MetricsRecorder } = require('mvx-common'); const { exposeToPrometheus } = require('mvx-common/prometheus');`,
        ),
        use(
          'mjs',
          `import { MetricsRecorder } from 'mvx-common'; import { exposeToPrometheus } from 'mvx-common/prometheus';`,
        ),
      ]) {
        expect(result.code).toBe('PEER_DEPENDENCY_MISSING');
        expect(result.message).toMatch(
          /mvx-common\/prometheus needs the optional peer dependency prom-client/,
        );
      }
    });
  });
});
