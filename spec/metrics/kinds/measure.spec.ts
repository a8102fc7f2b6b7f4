import { Observable, of, Subject, throwError } from 'rxjs';
import { measure } from 'mvx-common';
import type { MetricEvent } from 'mvx-common';

function setup() {
  const events: MetricEvent[] = [];
  let t = 100;
  const clock = { now: () => (t += 5) };
  return { events, emitter: { emit: (e: MetricEvent) => void events.push(e) }, options: { clock } };
}

describe('measure', () => {
  it('sync success: returns the result and emits one event', () => {
    const { events, emitter, options } = setup();
    expect(measure(emitter, 'job', () => 42, { region: 'eu' }, options)).toBe(42);
    expect(events).toEqual([{ region: 'eu', type: 'job', outcome: 'success', durationMs: 5 }]);
  });

  it('sync failure: rethrows the same error', () => {
    const { events, emitter, options } = setup();
    const boom = new Error('boom');
    expect(() =>
      measure(
        emitter,
        'job',
        () => {
          throw boom;
        },
        undefined,
        options,
      ),
    ).toThrow(boom);
    expect(events).toEqual([{ type: 'job', outcome: 'failure', durationMs: 5 }]);
  });

  it('measured fields win over payload fields of the same name', () => {
    const { events, emitter, options } = setup();
    measure(emitter, 'job', () => 1, { type: 'x', outcome: 'y', n: 1 } as never, options);
    expect(events[0]).toEqual({ n: 1, type: 'job', outcome: 'success', durationMs: 5 });
  });

  it('Promise: returns the same promise and emits when it settles', async () => {
    const { events, emitter, options } = setup();
    const p = Promise.resolve('ok');
    expect(measure(emitter, 'job', p, undefined, options)).toBe(p);
    await expect(
      measure(emitter, 'job', () => Promise.reject(new Error('no')), undefined, options),
    ).rejects.toThrow('no');
    await p;
    await new Promise((r) => setTimeout(r, 0));
    expect(events.map((e) => (e as { outcome?: string }).outcome).sort()).toEqual(['failure', 'success']);
  });

  it('Observable: success, failure and cancelled, one event per subscription', () => {
    const { events, emitter, options } = setup();
    const values: number[] = [];
    measure(emitter, 'job', of(1, 2), undefined, options).subscribe((v) => values.push(v));
    measure(emitter, 'job', () => throwError(() => new Error('x')), undefined, options).subscribe({
      error: () => {},
    });
    const never = new Subject<number>();
    measure(emitter, 'job', never, undefined, options).subscribe().unsubscribe();
    expect(values).toEqual([1, 2]);
    expect(events.map((e) => (e as { outcome?: string }).outcome)).toEqual([
      'success',
      'failure',
      'cancelled',
    ]);
  });

  it('a throwing emitter never disturbs the work', () => {
    const emitter = {
      emit: () => {
        throw new Error('emitter');
      },
    };
    expect(measure(emitter, 'job', () => 7)).toBe(7);
    expect(measure(emitter, 'job', new Observable<number>((s) => s.complete())) instanceof Observable).toBe(
      true,
    );
  });

  it('refuses a bad type or work', () => {
    const { emitter } = setup();
    expect(() => measure(emitter, '' as string, () => 1)).toThrow(/`type`/);
    expect(() => measure(emitter, 'job', 5 as never)).toThrow(/`work`/);
  });
});
