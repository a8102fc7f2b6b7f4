import { TestScheduler } from 'rxjs/testing';
import { checkFunction } from '../internal/validate.js';
import { deepEqual } from './deepEqual.js';

/**
 * A `TestScheduler` whose assertion compares structurally. Pass your test framework's assertion
 * (`(a, e) => expect(a).toEqual(e)`) for richer diffs.
 *
 * ## Example
 * <!-- runnable -->
 * ```ts
 * import { aggregate, counter } from 'mvx-common';
 * import { createTestScheduler, dimensionsOf } from 'mvx-common/testing';
 *
 * const saves = counter({ name: 'saves', on: 'save' });
 * // Pass your framework's assertion for richer diffs: createTestScheduler((a, e) => expect(a).toEqual(e)).
 * const scheduler = createTestScheduler();
 * scheduler.run(({ cold, expectObservable }) => {
 *   const events$ = cold('  a-b|', { a: { type: 'save' }, b: { type: 'other' } });
 *   const expected = '      x--|';
 *   const totals = events$.pipe(aggregate(saves, scheduler), dimensionsOf());
 *   expectObservable(totals).toBe(expected, { x: { total: 1, refused: 0, overflow: 0, evicted: 0, series: [] } });
 * });
 * console.log('marbles ok'); // → marbles ok
 * ```
 */
export function createTestScheduler(
  assertEqual?: (actual: unknown, expected: unknown) => void,
): TestScheduler {
  if (assertEqual !== undefined) checkFunction('assertEqual', assertEqual);
  return new TestScheduler(
    assertEqual ??
      ((actual, expected) => {
        if (!deepEqual(actual, expected)) {
          throw new Error(
            `Marble mismatch:\n  actual:   ${JSON.stringify(actual)}\n  expected: ${JSON.stringify(expected)}`,
          );
        }
      }),
  );
}
