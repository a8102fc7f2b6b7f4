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

  it('loads mvx-common/prometheus without its optional peer prom-client, and says what is missing', () => {
    const use = (ext: string, imports: string) => {
      const file = join(scratch, `prom.${ext}`);
      writeFileSync(
        file,
        `${imports}
         let error;
         try { exposeToPrometheus(new MetricsRecorder('x')); } catch (e) { error = e; }
         console.log(JSON.stringify({ code: error && error.code, message: error && error.message }));`,
      );
      return JSON.parse(run(process.execPath, [file], scratch)) as { code: string; message: string };
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
      expect(result.message).toMatch(/mvx-common\/prometheus needs the optional peer dependency prom-client/);
    }
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
});
