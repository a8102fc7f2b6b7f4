import { TestScheduler } from 'rxjs/testing';
import { checkFunction } from '../internal/validate.js';
import { deepEqual } from './deepEqual.js';

/**
 * A `TestScheduler` whose assertion compares structurally. Pass your test framework's assertion
 * (`(a, e) => expect(a).toEqual(e)`) for richer diffs.
 *
 * ## Example
 * ```ts
 * const scheduler = createTestScheduler((actual, expected) => expect(actual).toEqual(expected));
 * scheduler.run(({ cold, expectObservable }) => {
 *   expectObservable(cold('a-b', events).pipe(aggregate(metric, scheduler), dimensionsOf())).toBe('x-y', dims);
 * });
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
