import { of, Subject, throwError } from 'rxjs';
import { collect } from 'mvx-common/testing';

describe('collect', () => {
  it('records values in order, the last value and completion', () => {
    const c = collect(of(1, 2, 3));
    expect(c.values).toEqual([1, 2, 3]);
    expect(c.last).toBe(3);
    expect(c.completed).toBe(true);
    expect(c.errored).toBe(false);
    expect(c.error).toBeUndefined();
  });

  it('records an error', () => {
    const boom = new Error('x');
    const c = collect(throwError(() => boom));
    expect(c.errored).toBe(true);
    expect(c.error).toBe(boom);
    expect(c.completed).toBe(false);
    expect(c.last).toBeUndefined();
  });

  it('keeps collecting live values until unsubscribed', () => {
    const subject = new Subject<number>();
    const c = collect(subject);
    subject.next(1);
    expect(c.values).toEqual([1]);
    c.unsubscribe();
    subject.next(2);
    expect(c.values).toEqual([1]);
    expect(subject.observed).toBe(false);
  });
});
