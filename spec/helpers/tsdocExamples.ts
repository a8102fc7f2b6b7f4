/**
 * The code examples of the TSDoc comments under lib/: the ```ts blocks of every `## Example` section,
 * with the comment's leading ` * ` stripped. Read by the docs test, which type-checks each against the
 * public API (and runs those marked `<!-- runnable -->` on the line above the fence).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One ```ts block of a `## Example` section. */
export interface TsdocExample {
  /** The source file, relative to the repository (`lib/metrics/aggregate.ts`). */
  readonly file: string;
  /** 1-based line of the opening fence in that file. */
  readonly line: number;
  readonly code: string;
  /** Marked `<!-- runnable -->` on the line above its fence: run as well as type-checked. */
  readonly runnable: boolean;
}

/** A problem with the shape of an example section (a section without a ts block, an unterminated fence). */
export interface TsdocExampleProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const TS_FENCE = /^```\s*(ts|typescript)\s*$/;
const ANY_FENCE = /^```/;
const RUNNABLE = /^<!--\s*runnable\s*-->$/;

/** Every `.ts` file under `dir` (recursively), as paths relative to `root`, sorted. */
function sourceFiles(root: string, dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(root, rel);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [rel] : [];
    })
    .sort();
}

/** The lines of one doc comment body (` * ` stripped), each with its 1-based line in the file. */
function commentBodies(text: string): { readonly text: string; readonly line: number }[][] {
  const comments: { text: string; line: number }[][] = [];
  let current: { text: string; line: number }[] | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (current === undefined) {
      if (/^\s*\/\*\*/.test(raw) && !/\*\/\s*$/.test(raw)) current = [];
      return;
    }
    if (/^\s*\*\/\s*$/.test(raw) || /\*\/\s*$/.test(raw)) {
      comments.push(current);
      current = undefined;
      return;
    }
    current.push({ text: raw.replace(/^\s*\* ?/, ''), line });
  });
  return comments;
}

/** The examples of every TSDoc comment of the `.ts` files under `dirs` (relative to `root`). */
export function tsdocExamples(
  root: string,
  dirs: readonly string[] = ['lib'],
): { examples: TsdocExample[]; problems: TsdocExampleProblem[] } {
  const examples: TsdocExample[] = [];
  const problems: TsdocExampleProblem[] = [];
  for (const file of dirs.flatMap((d) => sourceFiles(root, d))) {
    for (const body of commentBodies(fs.readFileSync(path.join(root, file), 'utf8'))) {
      let inExample = false;
      let sectionLine = 0;
      let blocksInSection = 0;
      const closeSection = () => {
        if (inExample && blocksInSection === 0) {
          problems.push({
            file,
            line: sectionLine,
            message: 'an `## Example` section without a ```ts block',
          });
        }
      };
      for (let i = 0; i < body.length; i++) {
        const { text, line } = body[i]!;
        if (/^#{1,6}\s/.test(text) || /^@\w/.test(text)) {
          closeSection();
          inExample = /^##\s+Example\s*$/.test(text);
          sectionLine = line;
          blocksInSection = 0;
          continue;
        }
        if (!ANY_FENCE.test(text.trim())) continue;
        let end = i + 1;
        while (end < body.length && body[end]!.text.trim() !== '```') end++;
        if (end >= body.length) {
          problems.push({ file, line, message: 'an unterminated code block' });
          break;
        }
        if (inExample && TS_FENCE.test(text.trim())) {
          blocksInSection++;
          examples.push({
            file,
            line,
            code: body
              .slice(i + 1, end)
              .map((l) => l.text)
              .join('\n'),
            runnable: RUNNABLE.test((body[i - 1]?.text ?? '').trim()),
          });
        }
        i = end;
      }
      closeSection();
    }
  }
  return { examples, problems };
}
