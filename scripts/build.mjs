// Dual build: CommonJS (dist/cjs) and ES modules (dist/esm), each with its own .d.ts files, then a
// check that the emitted declarations compile on their own (strict, skipLibCheck false): `stripInternal`
// removes every declaration marked `@internal`, so a public declaration that still names one would ship
// broken types. The check fails the build instead.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const ts = require('typescript');

rmSync('dist', { recursive: true, force: true });
for (const project of ['tsconfig.cjs.json', 'tsconfig.esm.json']) {
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
}
// Bundlers read `sideEffects` from the nearest package.json, which for every built file is one of these
// two: without the flag here, the root package.json's `"sideEffects": false` would never apply.
writeFileSync('dist/cjs/package.json', JSON.stringify({ type: 'commonjs', sideEffects: false }) + '\n');
writeFileSync('dist/esm/package.json', JSON.stringify({ type: 'module', sideEffects: false }) + '\n');

checkDeclarations(['dist/esm', 'dist/cjs']);

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
    process.exit(1);
  }
}
