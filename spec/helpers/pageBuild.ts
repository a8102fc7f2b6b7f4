/**
 * The dashboard page bundle the server serves (dist/dashboard/page). Specs that serve the page rebuild
 * it first when any library source is newer (the bundle includes the core), so they never test a
 * stale page; the bundle is written aside and swapped in.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const PAGE = join(ROOT, 'dist', 'dashboard', 'page');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

export function ensurePageBuilt(): void {
  const bundle = join(PAGE, 'dashboard.js');
  const sources = Math.max(newest(join(ROOT, 'lib')), newest(join(ROOT, 'scripts', 'build-page.mjs')));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return;
  const next = `${PAGE}.next-${process.pid}`;
  const old = `${PAGE}.old-${process.pid}`;
  execFileSync(process.execPath, ['scripts/build-page.mjs', next], { cwd: ROOT, stdio: 'inherit' });
  if (existsSync(PAGE)) renameSync(PAGE, old);
  renameSync(next, PAGE);
  rmSync(old, { recursive: true, force: true });
}
