// Internal on purpose: the linear-time glob matcher behind PatternLogEventPolicy.
import { compileGlob, compileGlobGroup } from '../../lib/logger/glob.js';

describe('compileGlob', () => {
  const match = (pattern: string, value: string): boolean => compileGlob(pattern)(value);

  it('supports * across dots, ? and classes', () => {
    expect(match('metrics_*.start', 'metrics_recorder.start')).toBe(true);
    expect(match('*', 'a.b.c')).toBe(true);
    expect(match('a?c', 'abc')).toBe(true);
    expect(match('a?c', 'ac')).toBe(false);
    expect(match('v[0-9]', 'v7')).toBe(true);
    expect(match('v[!0-9]', 'v7')).toBe(false);
    expect(match('v[!0-9]', 'vx')).toBe(true);
  });

  it('is case-sensitive and anchored', () => {
    expect(match('app.*', 'App.x')).toBe(false);
    expect(match('app', 'my.app')).toBe(false);
  });

  it('treats regex metacharacters literally', () => {
    expect(match('a.b', 'aXb')).toBe(false);
    expect(match('(x)+$', '(x)+$')).toBe(true);
    expect(match('a[', 'a[')).toBe(true);
  });
});

describe('compileGlobGroup', () => {
  it('matches everything when empty, never null otherwise', () => {
    expect(compileGlobGroup(undefined)(null)).toBe(true);
    expect(compileGlobGroup([])('x')).toBe(true);
    expect(compileGlobGroup(['*'])(null)).toBe(false);
    expect(compileGlobGroup(['a', 'b*'])('bc')).toBe(true);
  });
});
