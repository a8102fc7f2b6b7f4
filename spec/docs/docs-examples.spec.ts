/**
 * Doc test: every ```ts block in the core docs that is preceded by a `<!-- runnable -->` line is
 *
 *  1. type-checked against the public API (one in-memory TypeScript program, the repository's
 *     tsconfig with `module: esnext` so blocks may use top-level `await`), and
 *  2. run: transpiled to CommonJS, wrapped in an async function, and executed with a `require` that
 *     serves only `mvx-common`, `mvx-common/testing`, `rxjs` and `rxjs/testing` (jest maps the
 *     package names to lib/). Output of `console.log` is captured.
 *
 * A block may state what it prints with a trailing `// → text` comment on a line; those expectations
 * must appear, in order, among the captured output lines (exact match after trimming).
 *
 * Nothing is written to disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const DOCS = [
  'overview.md',
  'getting-started.md',
  'processing-pipeline.md',
  'recorder-processing.md',
  'snapshot-surface.md',
  'failure-model.md',
  'extension-model.md',
  'dashboard.md',
];
const MARKER = '<!-- runnable -->';

interface Block {
  readonly doc: string;
  readonly line: number;
  readonly code: string;
  /** Virtual path of the block inside the repository (never written). */
  readonly file: string;
  readonly expected: readonly string[];
}

function extractBlocks(doc: string): Block[] {
  const file = path.join(ROOT, 'docs', doc);
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== MARKER) continue;
    const fence = lines[i + 1]?.trim();
    if (fence !== '```ts' && fence !== '```typescript') {
      throw new Error(`${doc}:${i + 1}: ${MARKER} must be followed directly by a \`\`\`ts fence`);
    }
    const start = i + 2;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    if (end >= lines.length) throw new Error(`${doc}:${i + 2}: unterminated code block`);
    const code = lines.slice(start, end).join('\n');
    const expected = lines
      .slice(start, end)
      .map((l) => /\/\/ → (.*)$/.exec(l)?.[1]?.trim())
      .filter((e): e is string => e !== undefined);
    blocks.push({
      doc,
      line: i + 2,
      code,
      file: path.join(ROOT, 'spec', 'docs', '__blocks__', `${doc.replace(/\.md$/, '')}.L${i + 2}.ts`),
      expected,
    });
    i = end;
  }
  return blocks;
}

const blocks = DOCS.flatMap(extractBlocks);
const label = (b: Block) => `${b.doc}:${b.line}`;

/** Type-checks all blocks in one program; returns the diagnostics text per block file. */
function typeCheck(all: readonly Block[]): Map<string, string[]> {
  const configPath = path.join(ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: true,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
  };
  const sources = new Map(all.map((b) => [b.file, `${b.code}\nexport {};\n`]));
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (f) => sources.has(path.resolve(f)) || fileExists(f);
  host.readFile = (f) => sources.get(path.resolve(f)) ?? readFile(f);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = sources.get(path.resolve(f));
    return text !== undefined
      ? ts.createSourceFile(f, text, lang, true, ts.ScriptKind.TS)
      : getSourceFile(f, lang, onError, create);
  };
  const program = ts.createProgram([...sources.keys()], options, host);
  const result = new Map<string, string[]>();
  for (const b of all) {
    const sf = program.getSourceFile(b.file);
    if (!sf) {
      result.set(b.file, ['source file missing from program']);
      continue;
    }
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    result.set(
      b.file,
      diags.map((d) => {
        const pos =
          d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        const where = pos ? `line ${pos.line + 1} of the block` : '';
        return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    );
  }
  return result;
}

const MODULES: Record<string, unknown> = {
  'mvx-common': require('mvx-common'),
  'mvx-common/testing': require('mvx-common/testing'),
  'mvx-common/dashboard': require('mvx-common/dashboard'),
  'node:http': require('node:http'),
  rxjs: require('rxjs'),
  'rxjs/testing': require('rxjs/testing'),
};

type AsyncFn = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...args: string[]
) => AsyncFn;

/** Runs a block; resolves with its console.log lines. */
async function runBlock(block: Block): Promise<string[]> {
  const js = ts.transpileModule(block.code, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    fileName: block.file,
  }).outputText;
  const output: string[] = [];
  const fakeConsole = {
    ...console,
    log: (...args: unknown[]) => output.push(...format(...args).split('\n')),
    info: (...args: unknown[]) => output.push(...format(...args).split('\n')),
    warn: () => undefined,
    error: () => undefined,
  };
  const localRequire = (id: string): unknown => {
    if (id in MODULES) return MODULES[id];
    throw new Error(
      `${label(block)}: a runnable block may import only ${Object.keys(MODULES).join(', ')}; got '${id}'`,
    );
  };
  const exports = {};
  const fn = new AsyncFunction('require', 'exports', 'module', 'console', js);
  await fn(localRequire, exports, { exports }, fakeConsole);
  return output;
}

describe('docs examples', () => {
  let diagnostics: Map<string, string[]>;

  beforeAll(() => {
    diagnostics = typeCheck(blocks);
  });

  it('finds runnable blocks in the core docs', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  const table = blocks.map((b) => [label(b), b] as const);
  if (table.length > 0)
    describe.each(table)('%s', (_name, block) => {
      it('type-checks against the public API', () => {
        expect(diagnostics.get(block.file)).toEqual([]);
      });

      it('runs, printing what its `// →` comments say', async () => {
        const output = (await runBlock(block)).map((l) => l.trim());
        // DOCS_PRINT=1 npx jest spec/docs  shows what every block printed (handy when writing docs).
        if (process.env['DOCS_PRINT']) process.stdout.write(`--- ${label(block)}\n${output.join('\n')}\n`);
        let at = 0;
        for (const want of block.expected) {
          const found = output.indexOf(want, at);
          if (found < 0) {
            throw new Error(
              `${label(block)}: expected output line not found (in order):\n  ${want}\nactual output:\n  ${output.join('\n  ')}`,
            );
          }
          at = found + 1;
        }
      });
    });
});
