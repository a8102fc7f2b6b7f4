/** One step of a compiled glob. */
type Token =
  | { readonly kind: 'star' }
  | { readonly kind: 'any' }
  | { readonly kind: 'char'; readonly code: number }
  | {
      readonly kind: 'class';
      readonly negated: boolean;
      readonly ranges: readonly (readonly [number, number])[];
    };

/**
 * Case-sensitive glob matching in the style of Python's `fnmatchcase`: `*` matches any run of characters
 * (dots included), `?` one character, `[abc]`/`[a-z]` a class and `[!abc]` a negated class (a `]` right
 * after `[` or `[!` is part of the class; a `[` without a closing `]` is literal). Everything else is literal.
 *
 * Matching runs in O(pattern × value) time whatever the pattern: no regular expression is built, so a
 * pattern such as `*a*a*a*a*b` cannot backtrack catastrophically on a long (possibly user-supplied) value.
 * @internal
 */
export function compileGlob(pattern: string): (value: string) => boolean {
  const tokens = tokenize(pattern);
  return (value) => matches(tokens, value);
}

/** A compiled OR-group of globs; an empty group matches everything, `null` values never match. @internal */
export function compileGlobGroup(patterns: readonly string[] | undefined): (value: string | null) => boolean {
  if (!patterns || patterns.length === 0) return () => true;
  const globs = patterns.map(compileGlob);
  return (value) => value !== null && globs.some((glob) => glob(value));
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (ch === '?') tokens.push({ kind: 'any' });
    else if (ch === '[') {
      let j = i + 1;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      const close = pattern.indexOf(']', j);
      if (close === -1) {
        tokens.push({ kind: 'char', code: ch.charCodeAt(0) });
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      tokens.push({ kind: 'class', negated, ranges: classRanges(body) });
      i = close;
    } else tokens.push({ kind: 'char', code: pattern.charCodeAt(i) });
  }
  return tokens;
}

function classRanges(body: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (let k = 0; k < body.length; k++) {
    const from = body.charCodeAt(k);
    if (body[k + 1] === '-' && k + 2 < body.length) {
      const to = body.charCodeAt(k + 2);
      if (from <= to) ranges.push([from, to]); // a reversed range matches nothing, as in fnmatch
      k += 2;
    } else ranges.push([from, from]);
  }
  return ranges;
}

function matchesOne(token: Token, code: number): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'char':
      return token.code === code;
    case 'class': {
      const inside = token.ranges.some(([from, to]) => code >= from && code <= to);
      return inside !== token.negated;
    }
    default:
      return false;
  }
}

/** Greedy matching that backtracks only to the last `*`: linear in each, quadratic at worst. */
function matches(tokens: readonly Token[], value: string): boolean {
  let t = 0;
  let v = 0;
  let starToken = -1;
  let starValue = 0;
  while (v < value.length) {
    const token = tokens[t];
    if (token !== undefined && token.kind === 'star') {
      starToken = t++;
      starValue = v;
    } else if (token !== undefined && matchesOne(token, value.charCodeAt(v))) {
      t++;
      v++;
    } else if (starToken >= 0) {
      t = starToken + 1;
      v = ++starValue;
    } else return false;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}
