/**
 * Doc test over README.md, every `docs/*.md` (a glob: docs added later are covered) and the TSDoc examples
 * of lib/ (the ```ts blocks of every `## Example` section, see spec/helpers/tsdocExamples.ts).
 *
 * Every ```ts / ```typescript / ```js block must be preceded, on the line directly above its fence, by
 *
 *  - `<!-- runnable -->`: the block is type-checked against the public API (one in-memory TypeScript
 *    program, the repository's tsconfig with `module: esnext` so blocks may use top-level `await`) and run:
 *    transpiled to CommonJS, wrapped in an async function, executed with a `require` that serves every
 *    entry point of the package (`mvx-common`, `mvx-common/<entry>`, read from package.json `exports`;
 *    jest maps them to lib/), the peer and dev dependencies (rxjs, rxjs/testing, prom-client, ...), and
 *    `node:` built-ins. Output of `console.log` / `console.info` is captured;
 *  - `<!-- runnable: name.ts -->`: a module of that doc, type-checked and run like the above, and
 *    importable from the doc's other runnable blocks as `./name.js` (the `nodenext` convention). A module
 *    block cannot use top-level `await`;
 *  - `<!-- fragment -->`: a partial snippet (a signature, an interface listing, code needing files on disk),
 *    not checked.
 *
 * A TSDoc example needs no marker: it is type-checked like a runnable block (it imports from the package
 * names and declares what it assumes, e.g. `declare const recorder: MetricsRecorder;`), and run as well when
 * `<!-- runnable -->` stands on the comment line above its fence.
 *
 * A block of a doc without a marker fails the test. A runnable block may state what it prints with trailing
 * `// → text` comments; those lines must appear, in order, among the captured output lines (exact match
 * after trimming). Relative links of every doc must resolve in the repository, and `#anchors` must name a
 * heading of the linked doc.
 *
 * Nothing is written to disk.
 */
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { format } from 'node:util';
import * as ts from 'typescript';
import { headingAnchors, isRelativeLink, markdownLinks } from '../helpers/markdown.js';
import { tsdocExamples, type TsdocExample } from '../helpers/tsdocExamples.js';

const ROOT = path.resolve(__dirname, '..', '..');
/** README.md and every docs/*.md, as paths relative to the repository. */
const DOCS = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const CODE_FENCE = /^\s*```\s*(ts|typescript|js|javascript|mts|cts|tsx|jsx)\b/;
const ANY_FENCE = /^\s*```/;
const RUNNABLE = /^<!--\s*runnable(?::\s*([A-Za-z0-9_.-]+\.(?:ts|js)))?\s*-->$/;
const FRAGMENT = /^<!--\s*fragment\s*-->$/;

interface Block {
  readonly doc: string;
  readonly line: number;
  readonly code: string;
  readonly js: boolean;
  /** The module name (`events.ts`) of a `<!-- runnable: events.ts -->` block. */
  readonly module: string | undefined;
  /** Virtual path of the block inside the repository (never written). */
  readonly file: string;
  readonly expected: readonly string[];
  /** Run as well as type-checked (every runnable doc block; TSDoc examples marked runnable). */
  readonly run: boolean;
}

const problems: string[] = [];

function extractBlocks(doc: string): Block[] {
  const lines = fs.readFileSync(path.join(ROOT, doc), 'utf8').split(/\r?\n/);
  const dir = path.join(ROOT, 'spec', 'docs', '__blocks__', doc.replace(/[/.]/g, '_'));
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (RUNNABLE.test(text) || FRAGMENT.test(text)) {
      // Prettier keeps one blank line between an HTML comment and a fence: allow it, nothing else.
      const next = (lines[i + 1] ?? '').trim() === '' ? lines[i + 2] : lines[i + 1];
      if (!CODE_FENCE.test(next ?? '')) {
        problems.push(`${doc}:${i + 1}: ${text} must be followed by a \`\`\`ts or \`\`\`js fence`);
      }
      continue;
    }
    if (!ANY_FENCE.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    if (end >= lines.length) {
      problems.push(`${doc}:${i + 1}: unterminated code block`);
      break;
    }
    const fence = CODE_FENCE.exec(lines[i]!);
    const marker = ((lines[i - 1] ?? '').trim() === '' ? (lines[i - 2] ?? '') : (lines[i - 1] ?? '')).trim();
    const runnable = RUNNABLE.exec(marker);
    if (fence && !runnable && !FRAGMENT.test(marker)) {
      problems.push(
        `${doc}:${i + 1}: a \`\`\`${fence[1]} block needs <!-- runnable --> or <!-- fragment --> above it`,
      );
    }
    if (fence && runnable) {
      lines.slice(start, end).forEach((l, k) => {
        if (/\/\/.*→/.test(l) && !/\/\/ → /.test(l)) {
          problems.push(`${doc}:${start + k + 1}: an expected-output comment must read \`// → text\``);
        }
      });
      const code = lines.slice(start, end).join('\n');
      const js = /^(js|javascript|jsx)$/.test(fence[1]!);
      const module = runnable[1];
      blocks.push({
        doc,
        line: i + 1,
        code,
        js,
        module,
        file: path.join(dir, module ?? `L${i + 1}.${js ? 'js' : 'ts'}`),
        expected: expectedOutput(lines.slice(start, end)),
        run: true,
      });
    }
    i = end;
  }
  return blocks;
}

/** The `// → text` expectations of a block's lines. */
function expectedOutput(lines: readonly string[]): string[] {
  return lines.map((l) => /\/\/ → (.*)$/.exec(l)?.[1]?.trim()).filter((e): e is string => e !== undefined);
}

const tsdoc = tsdocExamples(ROOT);
for (const p of tsdoc.problems) problems.push(`${p.file}:${p.line}: ${p.message}`);

function tsdocBlock(example: TsdocExample): Block {
  const lines = example.code.split('\n');
  if (example.runnable) {
    lines.forEach((l, k) => {
      if (/\/\/.*→/.test(l) && !/\/\/ → /.test(l)) {
        problems.push(
          `${example.file}:${example.line + k + 1}: an expected-output comment must read \`// → text\``,
        );
      }
    });
  }
  return {
    doc: example.file,
    line: example.line,
    code: example.code,
    js: false,
    module: undefined,
    file: path.join(
      ROOT,
      'spec',
      'docs',
      '__blocks__',
      example.file.replace(/[/.]/g, '_'),
      `L${example.line}.ts`,
    ),
    expected: example.runnable ? expectedOutput(lines) : [],
    run: example.runnable,
  };
}

const blocks = [...DOCS.flatMap(extractBlocks), ...tsdoc.examples.map(tsdocBlock)];
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
    allowJs: true,
    checkJs: false,
    // Examples may declare what they only show.
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
  const sources = new Map(all.map((b) => [b.file, b.module ? b.code : `${b.code}\nexport {};\n`]));
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (f) => sources.has(path.resolve(f)) || fileExists(f);
  const virtualDirs = new Set([...sources.keys()].map((f) => path.dirname(f)));
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => virtualDirs.has(path.resolve(d)) || (directoryExists?.(d) ?? true);
  host.readFile = (f) => sources.get(path.resolve(f)) ?? readFile(f);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = sources.get(path.resolve(f));
    if (text === undefined) return getSourceFile(f, lang, onError, create);
    return ts.createSourceFile(f, text, lang, true, f.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
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

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
/** Every entry point of the package (`mvx-common`, `mvx-common/metrics`, ...). */
const ENTRY_POINTS = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));
const DEPENDENCIES = new Set([
  ...Object.keys(pkg.devDependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
]);
const packageOf = (id: string) =>
  id
    .split('/')
    .slice(0, id.startsWith('@') ? 2 : 1)
    .join('/');

/** What a runnable block may import, other than the doc's module blocks. */
function serve(id: string): unknown {
  if (ENTRY_POINTS.includes(id)) return require(id);
  if (id.startsWith('node:') || builtinModules.includes(id)) return require(id);
  if (!id.startsWith('.') && packageOf(id) !== pkg.name && DEPENDENCIES.has(packageOf(id)))
    return require(id);
  throw new Error(
    `a runnable block may import the package's entry points (${ENTRY_POINTS.join(', ')}), its peer and dev ` +
      `dependencies, node: built-ins and the doc's module blocks (./name.js); got '${id}'`,
  );
}

type AsyncFn = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...args: string[]
) => AsyncFn;

function transpile(block: Block): string {
  return ts.transpileModule(block.code, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      allowJs: true,
    },
    fileName: block.file,
  }).outputText;
}

/** Runs a block; resolves with its console.log lines. Module blocks it imports run once per call. */
async function runBlock(block: Block): Promise<string[]> {
  const output: string[] = [];
  const fakeConsole = {
    ...console,
    log: (...args: unknown[]) => output.push(...format(...args).split('\n')),
    info: (...args: unknown[]) => output.push(...format(...args).split('\n')),
    warn: () => undefined,
    error: () => undefined,
  };
  const loaded = new Map<string, unknown>();
  const requireFrom =
    (from: Block) =>
    (id: string): unknown => {
      if (!id.startsWith('./')) {
        try {
          return serve(id);
        } catch (error) {
          throw new Error(`${label(from)}: ${(error as Error).message}`);
        }
      }
      const name = id.slice(2).replace(/\.js$/, '');
      const dep = blocks.find(
        (b) => b.doc === from.doc && b.module !== undefined && b.module.replace(/\.(ts|js)$/, '') === name,
      );
      if (!dep)
        throw new Error(`${label(from)}: no <!-- runnable: ${name}.ts --> block in ${from.doc} for '${id}'`);
      if (!loaded.has(dep.file)) {
        const module = { exports: {} as unknown };
        loaded.set(dep.file, module.exports);
        const fn = new Function('require', 'exports', 'module', 'console', transpile(dep));
        fn(requireFrom(dep), module.exports, module, fakeConsole);
        loaded.set(dep.file, module.exports);
      }
      return loaded.get(dep.file);
    };
  const module = { exports: {} };
  const fn = new AsyncFunction('require', 'exports', 'module', 'console', transpile(block));
  await fn(requireFrom(block), module.exports, module, fakeConsole);
  return output;
}

describe('docs examples', () => {
  let diagnostics: Map<string, string[]>;

  beforeAll(() => {
    diagnostics = typeCheck(blocks);
  });

  it('covers README.md and every doc in docs/', () => {
    expect(DOCS).toEqual(
      expect.arrayContaining(['README.md', 'docs/overview.md', 'docs/getting-started.md']),
    );
    expect(blocks.length).toBeGreaterThan(20);
  });

  it('covers the TSDoc examples of lib/', () => {
    expect(tsdoc.examples.length).toBeGreaterThan(40);
    expect(tsdoc.examples.some((e) => e.runnable)).toBe(true);
  });

  it('marks every ts/js code block as runnable or fragment', () => {
    expect(problems).toEqual([]);
  });

  it('has relative links that resolve, and anchors that name a heading', () => {
    const broken: string[] = [];
    for (const doc of DOCS) {
      const from = path.join(ROOT, doc);
      for (const { target, line } of markdownLinks(fs.readFileSync(from, 'utf8'))) {
        if (!isRelativeLink(target)) continue;
        const [file = '', anchor] = target.split('#');
        const resolved = file === '' ? from : path.resolve(path.dirname(from), decodeURIComponent(file));
        if (!fs.existsSync(resolved)) broken.push(`${doc}:${line}: ${target} (no such file)`);
        else if (anchor !== undefined && resolved.endsWith('.md')) {
          if (!headingAnchors(fs.readFileSync(resolved, 'utf8')).has(anchor)) {
            broken.push(`${doc}:${line}: ${target} (no such heading)`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
  });

  const table = blocks.map((b) => [label(b), b] as const);
  if (table.length > 0)
    describe.each(table)('%s', (_name, block) => {
      it('type-checks against the public API', () => {
        expect(diagnostics.get(block.file)).toEqual([]);
      });

      if (block.run)
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
