import { setOwn } from '../../internal/ownProperty.js';
import {
  RecorderStopError,
  RuntimeShutdownError,
  type RecorderErrorSummary,
} from '../errors/runtimeErrors.js';
import { withTimeout } from '../../internal/timers.js';

const TIMED_OUT = Symbol('timed out');

/**
 * Stops every recorder in parallel, each bounded by `timeoutMs` (one shared deadline), and aggregates
 * the failures into a `RuntimeShutdownError` (ids in the given order). Never hangs: a recorder still
 * stopping at the deadline counts as failed.
 * @internal
 */
export async function shutdownRecorders<R>(
  entries: ReadonlyArray<readonly [string, R]>,
  timeoutMs: number,
  stop: (recorderId: string, recorder: R) => Promise<void>,
): Promise<void> {
  const outcomes = await Promise.all(
    entries.map(async ([id, recorder]): Promise<Error | undefined> => {
      try {
        const stopped = Promise.resolve().then(() => stop(id, recorder));
        const outcome = await withTimeout(stopped, timeoutMs, TIMED_OUT);
        if (outcome === TIMED_OUT) {
          stopped.catch(() => undefined); // settles later; nobody waits for it any more
          return new RecorderStopError(id, {
            reason: `the recorder did not stop within the shutdown timeout (${timeoutMs} ms)`,
          });
        }
        return undefined;
      } catch (error) {
        return error instanceof Error ? error : new RecorderStopError(id, { cause: error });
      }
    }),
  );
  const failedRecorderIds: string[] = [];
  const recorderErrors: Record<string, RecorderErrorSummary> = {};
  let first: Error | undefined;
  outcomes.forEach((error, index) => {
    if (!error) return;
    const id = entries[index]![0];
    first ??= error;
    failedRecorderIds.push(id);
    const code = (error as { code?: unknown }).code;
    setOwn(recorderErrors, id, Object.freeze({
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
    }));
  });
  if (first) {
    throw new RuntimeShutdownError(Object.freeze(failedRecorderIds), Object.freeze(recorderErrors), {
      cause: first,
    });
  }
}
