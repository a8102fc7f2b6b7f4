import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { callerModuleFile } from '../internal/moduleFile.js';

/** One static file of the page, held in memory. @internal */
export interface PageAsset {
  readonly body: Buffer;
  /** The body gzipped once at load (served to clients that accept gzip). */
  readonly gzipped: Buffer;
  readonly contentType: string;
  /** Strong validator: a hash of the body. */
  readonly etag: string;
}

/** The built page: the HTML template and the files under `/assets/`. @internal */
export interface PageAssets {
  readonly dir: string;
  /** `index.html` with `{{title}}` and `{{version}}` placeholders. */
  readonly template: string;
  /** Hash of the scripts and styles: asset URLs carry it as `?v=` so they can be cached forever. */
  readonly version: string;
  /** By file name: the only files served (no path from a request ever reaches the file system). */
  readonly files: ReadonlyMap<string, PageAsset>;
}

/** The files of the page build (scripts/build-page.mjs) and their content types. @internal */
export const PAGE_FILES: Readonly<Record<string, string>> = Object.freeze({
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
});

/**
 * Where the page build lives, found next to this module: `dist/dashboard/page` seen from
 * `dist/cjs/dashboard` or `dist/esm/dashboard`, and from `lib/dashboard` (running from source).
 * @internal
 */
export function pageAssetsDir(): string | undefined {
  const self = callerModuleFile(typeof __filename === 'string' ? __filename : undefined);
  if (self === undefined) return undefined;
  const here = dirname(self);
  const candidates = [
    join(here, '..', '..', 'dashboard', 'page'),
    join(here, '..', '..', 'dist', 'dashboard', 'page'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** Reads the page build into memory. Rejects with a clear message when it is missing. @internal */
export async function loadPageAssets(dir: string | undefined = pageAssetsDir()): Promise<PageAssets> {
  if (dir === undefined) {
    throw new Error(
      'The dashboard page is not built (no dashboard/page/index.html next to mvx-common); run `npm run build`',
    );
  }
  const template = await readFile(join(dir, 'index.html'), 'utf8');
  const files = new Map<string, PageAsset>();
  const version = createHash('sha256');
  for (const [name, contentType] of Object.entries(PAGE_FILES)) {
    const body = await readFile(join(dir, name));
    const digest = createHash('sha256').update(body).digest('base64url').slice(0, 22);
    version.update(digest);
    files.set(name, { body, gzipped: gzipSync(body, { level: 9 }), contentType, etag: `"${digest}"` });
  }
  return { dir, template, version: version.digest('hex').slice(0, 12), files };
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The page's HTML for `title`. @internal */
export function renderPage(assets: PageAssets, title: string): string {
  const safe = title.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
  return assets.template.replaceAll('{{title}}', safe).replaceAll('{{version}}', assets.version);
}
