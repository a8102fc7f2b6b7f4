// The build: CommonJS (dist/cjs) and ES modules (dist/esm) with their .d.ts files, the dashboard page
// (dist/dashboard/page), and the dashboard demo service compiled to JavaScript (build/demos, not
// published). dist/ is built aside and swapped in at the end, so processes reading the previous build
// (tests, a running demo) never see a half-written one.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { buildPage } from './build-page.mjs';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const next = `dist.next-${process.pid}`;

rmSync(next, { recursive: true, force: true });
try {
  for (const [project, out] of [
    ['tsconfig.cjs.json', 'cjs'],
    ['tsconfig.esm.json', 'esm'],
  ]) {
    execFileSync(process.execPath, [tsc, '-p', project, '--outDir', join(next, out)], { stdio: 'inherit' });
  }
  writeFileSync(join(next, 'cjs/package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
  writeFileSync(join(next, 'esm/package.json'), JSON.stringify({ type: 'module' }) + '\n');
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
