// The build: CommonJS (dist/cjs) and ES modules (dist/esm), each with its own .d.ts files, then a
// check that the emitted declarations compile on their own (strict, skipLibCheck false): `stripInternal`
// removes every declaration marked `@internal`, so a public declaration that still names one would ship
// broken types. The check fails the build instead. Then the dashboard page (dist/dashboard/page), and
// the dashboard demo service compiled to JavaScript (build/demos, not published).
// dist/ is built aside and swapped in at the end, so processes reading the previous build (tests, a
// running demo) never see a half-written one.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { buildPage } from './build-page.mjs';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const ts = require('typescript');
const next = `dist.next-${process.pid}`;

rmSync(next, { recursive: true, force: true });
try {
  for (const [project, out] of [
    ['tsconfig.cjs.json', 'cjs'],
    ['tsconfig.esm.json', 'esm'],
  ]) {
    execFileSync(process.execPath, [tsc, '-p', project, '--outDir', join(next, out)], { stdio: 'inherit' });
  }
  // Bundlers read `sideEffects` from the nearest package.json, which for every built file is one of these
  // two: without the flag here, the root package.json's `"sideEffects": false` would never apply.
  writeFileSync(
    join(next, 'cjs/package.json'),
    JSON.stringify({ type: 'commonjs', sideEffects: false }) + '\n',
  );
  writeFileSync(
    join(next, 'esm/package.json'),
    JSON.stringify({ type: 'module', sideEffects: false }) + '\n',
  );
  checkDeclarations([join(next, 'esm'), join(next, 'cjs')]);
  await buildPage(join(next, 'dashboard/page'));
} catch (error) {
  rmSync(next, { recursive: true, force: true });
  throw error;
}

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(next, 'dist');
rmSync(old, { recursive: true, force: true });

// The demo service, transpiled file by file (type-checked by `npm run typecheck`). It imports the
// package by name, which Node resolves to dist/ through the package's own `exports`.
const demoFiles = readdirSync('demos/dashboard')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join('demos/dashboard', f));
rmSync('build/demos', { recursive: true, force: true });
await build({
  entryPoints: demoFiles,
  outdir: 'build/demos/dashboard',
  format: 'cjs',
  platform: 'node',
  target: ['node18'],
  logLevel: 'warning',
});
mkdirSync('build', { recursive: true });
writeFileSync('build/.build-stamp', `${new Date().toISOString()}\n`);

/** Type-checks every emitted `.d.ts` as a consumer would (strict, nodenext, skipLibCheck false). */
function checkDeclarations(dirs) {
  const files = dirs.flatMap((dir) =>
    readdirSync(dir, { recursive: true })
      .filter((f) => f.endsWith('.d.ts'))
      .map((f) => join(dir, f)),
  );
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    const host = {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => '\n',
    };
    process.stderr.write(ts.formatDiagnostics(diagnostics, host));
    process.stderr.write(
      `\nThe built declarations do not compile (${diagnostics.length} error(s)). A public declaration ` +
        'probably names something marked @internal (removed by stripInternal).\n',
    );
    throw new Error('the built declarations do not compile');
  }
}
