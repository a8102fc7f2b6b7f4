// Builds only when the build is missing or older than its sources (lib/, demos/dashboard/, the build
// scripts, package.json, tsconfig files): `npm run demo` starts in a second when nothing changed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'build/.build-stamp';
const SOURCES = ['lib', 'demos/dashboard', 'scripts/build.mjs', 'scripts/build-page.mjs', 'package.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const tsconfigs = readdirSync('.').filter((f) => /^tsconfig.*\.json$/.test(f));
const sources = Math.max(...[...SOURCES, ...tsconfigs].map(newest));
const built = existsSync(STAMP) && existsSync('dist/cjs/index.js') ? statSync(STAMP).mtimeMs : 0;
if (built < sources) {
  console.error(built === 0 ? 'Building (first run)…' : 'Sources changed since the last build: rebuilding…');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
