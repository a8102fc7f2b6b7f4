/**
 * Case-sensitive glob matching in the style of Python's `fnmatchcase`:
 * `*` matches any run of characters (dots included), `?` one character, `[abc]`/`[a-z]` a class and
 * `[!abc]` a negated class. Everything else is literal.
 * @internal
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i] as string;
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else source += ch.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** A compiled OR-group of globs; an empty group matches everything, `null` values never match. @internal */
export function compileGlobGroup(patterns: readonly string[] | undefined): (value: string | null) => boolean {
  if (!patterns || patterns.length === 0) return () => true;
  const regexps = patterns.map(globToRegExp);
  return (value) => value !== null && regexps.some((re) => re.test(value));
}
