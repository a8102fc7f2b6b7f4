import { buildErrorPayload, isErrorLogged, markErrorLogged } from 'mvx-common/logger';

describe('buildErrorPayload', () => {
  it('gives name and message of an Error', () => {
    expect(buildErrorPayload(new TypeError('bad'))).toEqual({ name: 'TypeError', message: 'bad' });
  });

  it('keeps a string or number code and stringifies other codes', () => {
    const a = Object.assign(new Error('a'), { code: 'ENOENT' });
    const b = Object.assign(new Error('b'), { code: 42 });
    const c = Object.assign(new Error('c'), { code: { x: 1 } });
    expect(buildErrorPayload(a).code).toBe('ENOENT');
    expect(buildErrorPayload(b).code).toBe(42);
    expect(buildErrorPayload(c).code).toBe('[object Object]');
  });

  it('summarizes the cause one level deep only', () => {
    const root = new Error('root');
    const mid = new Error('mid', { cause: root });
    const top = new Error('top', { cause: mid });
    expect(buildErrorPayload(top)).toEqual({
      name: 'Error',
      message: 'top',
      cause: { name: 'Error', message: 'mid' },
    });
  });

  it('normalizes a non-error cause', () => {
    expect(buildErrorPayload(new Error('x', { cause: 'why' })).cause).toBe('why');
    expect(buildErrorPayload(new Error('x', { cause: NaN })).cause).toBe('NaN');
  });

  it('prefers toLogPayload()', () => {
    const err = Object.assign(new Error('x'), { toLogPayload: () => ({ kind: 'Custom', n: 1n }) });
    expect(buildErrorPayload(err)).toEqual({ kind: 'Custom', n: '1' });
  });

  it('handles thrown non-errors', () => {
    expect(buildErrorPayload('boom')).toEqual({ name: 'NonError', message: 'boom' });
    expect(buildErrorPayload(undefined)).toEqual({ name: 'NonError', message: 'undefined' });
  });

  it('never throws, even on hostile objects', () => {
    const hostile = {
      get name(): string {
        throw new Error('no');
      },
      message: 'm',
    };
    expect(buildErrorPayload(hostile)).toEqual({ name: '<unreadable>', message: 'm' });
  });
});

describe('markErrorLogged / isErrorLogged', () => {
  it('remembers objects without modifying them', () => {
    const err = new Error('x');
    expect(isErrorLogged(err)).toBe(false);
    markErrorLogged(err);
    expect(isErrorLogged(err)).toBe(true);
    expect(Object.keys(err)).toEqual([]);
    expect(Object.getOwnPropertySymbols(err)).toEqual([]);
  });

  it('is a no-op for primitives', () => {
    markErrorLogged('boom');
    expect(isErrorLogged('boom')).toBe(false);
  });
});
