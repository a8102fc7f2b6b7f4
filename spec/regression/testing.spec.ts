/**
 * Regressions of the testing helpers (mvx-common/testing): one test per fixed defect, named for what broke
 * and in which version. Each fails on the code that had the defect.
 */
import { Subject } from 'rxjs';
import { counter, type MetricEvent } from 'mvx-common';
import { createTestRecorder, createTestScheduler } from 'mvx-common/testing';

describe('testing helpers regressions', () => {
  it("0.3.0: createTestScheduler's default matcher took any two errors (and any two Maps) as equal", () => {
    // Class: spec/testing/deepEqual.spec.ts (errors by name and message, Maps and Sets by content).
    expect(() =>
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('  -#', undefined, new Error('y'));
        const expected = '     -#';
        expectObservable(source).toBe(expected, undefined, new RangeError('x'));
      }),
    ).toThrow(/Marble mismatch/);
    expect(() =>
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('  a', { a: new Map([['k', 1]]) });
        const expected = '     a';
        expectObservable(source).toBe(expected, { a: new Map([['k', 2]]) });
      }),
    ).toThrow(/Marble mismatch/);
  });

  it('0.3.0: createTestRecorder never let go of events$, so a hot source outlived the disposed recorder', async () => {
    // Class: spec/testing/createTestRecorder.spec.ts (subscriptions asserted in marbles).
    const events$ = new Subject<MetricEvent>();
    const recorder = createTestRecorder(createTestScheduler(), [counter({ name: 'c', on: 'e' })], {
      events$,
    });
    await recorder.dispose();
    expect(events$.observed).toBe(false);
  });
});
