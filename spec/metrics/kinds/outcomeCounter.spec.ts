import { outcomeCounter } from 'mvx-common';
import { reduceEvents } from 'mvx-common/testing';

const s = (outcome?: string) => ({ type: 'save', outcome });

describe('outcomeCounter', () => {
  const m = outcomeCounter({ name: 'saves', on: 'save' });

  it('empty state is the reference shape', () => {
    expect(m.kind).toBe('counter');
    expect(m.dimensions(m.init())).toEqual({ total: 0, success_total: 0, failure_total: 0, other_total: 0 });
  });

  it('counts total and per outcome; other or missing outcomes count in other_total', () => {
    expect(reduceEvents(m, [s('success')])).toEqual({
      total: 1,
      success_total: 1,
      failure_total: 0,
      other_total: 0,
    });
    expect(reduceEvents(m, [s('success'), s('failure'), s('success'), s('cancelled'), s()])).toEqual({
      total: 5,
      success_total: 2,
      failure_total: 1,
      other_total: 2,
    });
  });

  it('takes custom outcomes and an outcome function', () => {
    const c = outcomeCounter({
      name: 'x',
      on: 'save',
      outcomes: ['ok', 'err'],
      outcome: (e) => (e as { r?: string }).r,
    });
    expect(
      reduceEvents(c, [
        { type: 'save', r: 'ok' },
        { type: 'save', r: 'err' },
      ] as never[]),
    ).toEqual({
      total: 2,
      ok_total: 1,
      err_total: 1,
      other_total: 0,
    });
  });

  it('old states keep their values; init resets', () => {
    const s1 = m.reduce(m.init(), s('success'), { now: 0 });
    m.reduce(s1, s('failure'), { now: 0 });
    expect(m.dimensions(s1).total).toBe(1);
    expect(m.dimensions(m.init()).total).toBe(0);
  });

  it.each([[[]], [['a', 'a']], [['other']], [['bad name']]])('refuses outcomes %j', (outcomes) => {
    expect(() => outcomeCounter({ name: 'x', on: 'save', outcomes: outcomes as never })).toThrow(/`outcomes/);
  });
});
