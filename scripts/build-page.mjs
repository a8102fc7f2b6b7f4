// The dashboard page: lib/dashboard/page/ bundled with uPlot and the library's own browser code
// (esbuild), into <outDir>: index.html, dashboard.js, dashboard.css, favicon.svg. No CDN, no runtime deps.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const PAGE = 'lib/dashboard/page';

export async function buildPage(outDir) {
  mkdirSync(outDir, { recursive: true });
  const common = { bundle: true, minify: true, outdir: outDir, logLevel: 'warning', legalComments: 'eof' };
  await build({
    ...common,
    entryPoints: { dashboard: join(PAGE, 'main.ts') },
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    tsconfig: 'tsconfig.esm.json',
  });
  await build({ ...common, entryPoints: { dashboard: join(PAGE, 'styles.css') } });
  for (const file of ['index.html', 'favicon.svg']) copyFileSync(join(PAGE, file), join(outDir, file));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildPage(process.argv[2] ?? 'dist/dashboard/page');
}
