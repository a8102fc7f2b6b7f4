// Internal on purpose: the recorder's state machine, driven over real pipeline stages (not exported).
import * as timers from '../../../../lib/internal/timers.js';
import {
  RecorderLifecycle,
  type LifecycleOptions,
} from '../../../../lib/metrics/recorder/lifecycle/RecorderLifecycle.js';
import type { RecorderHookError } from '../../../../lib/metrics/errors/recorderErrors.js';
import {
  MetricFailedError,
  RecorderInvalidStateError,
  RecorderStopTimeoutError,
} from '../../../../lib/metrics/errors/recorderErrors.js';
import type { RecorderState, RecorderStats } from '../../../../lib/metrics/recorder/types.js';
import { e, pipeline, summing, type Pipeline } from '../pipeline/harness.js';

function lifecycle(p: Pipeline, options: Partial<LifecycleOptions> = {}): RecorderLifecycle {
  return new RecorderLifecycle(
    {
      admission: p.admission,
      buffer: p.buffer,
      drain: p.drain,
      dispatch: p.dispatch,
      scheduler: p.scheduler,
      refresh: p.refresh,
      streams: p.streams,
      accounting: p.accounting,
    },
    {
      onStarting: undefined,
      onStopped: () => undefined,
      stopTimeoutMs: 5_000,
      startTimeoutMs: 5_000,
      logCleanupFailure: () => undefined,
      ...options,
    },
  );
}

afterEach(() => jest.restoreAllMocks());

describe('RecorderLifecycle', () => {
  it('admission and refresh follow the state: accepting in virgin/starting/running, refreshing only while running', async () => {
    const p = pipeline();
    const lc = lifecycle(p);
    const refreshStart = jest.spyOn(p.refresh, 'start');
    const seen: Array<[RecorderState, boolean]> = [];
    p.streams.state$.subscribe((s) => seen.push([s, p.admission.accepting]));
    expect((await lc.start()).success).toBe(true);
    expect(refreshStart).toHaveBeenCalledTimes(1);
    expect((await lc.stop()).success).toBe(true);
    await lc.dispose();
    expect(seen).toEqual([
      ['virgin', true],
      ['starting', true],
      ['running', true],
      ['stopping', false],
      ['stopped', false],
      ['disposed', false],
    ]);
  });

  it('publishes every transition to every subscriber in order, even when a subscriber starts another one', async () => {
    const p = pipeline();
    const lc = lifecycle(p);
    const first: RecorderState[] = [];
    const second: RecorderState[] = [];
    let stop: Promise<unknown> | undefined;
    p.streams.state$.subscribe((s) => {
      first.push(s);
      if (s === 'running') stop = lc.stop(); // re-entrant: recorded before it is published
    });
    p.streams.state$.subscribe((s) => second.push(s));
    await lc.start();
    expect(lc.status).toBe('stopping');
    await stop;
    expect(first).toEqual(['virgin', 'starting', 'running', 'stopping', 'stopped']);
    expect(second).toEqual(first);
  });

  it('publishes the stats with each transition', async () => {
    const p = pipeline();
    p.register(summing('a'));
    const lc = lifecycle(p);
    const stats: RecorderStats[] = [];
    p.streams.stats$.subscribe((s) => stats.push(s));
    await lc.start();
    p.offer(e(0), e(1));
    await lc.stop();
    expect(stats.at(-1)).toMatchObject({ offered: 2, accepted: 2, processed: 2, pending: 0 });
  });

  it('bounds the stop’s drain by stopTimeoutMs on the monotonic clock: the rest stays pending, the recorder fails', async () => {
    let fake = 0;
    jest.spyOn(timers, 'monotonicNow').mockImplementation(() => fake);
    const p = pipeline();
    p.register(summing('slow', { onReduce: () => (fake += 100) }));
    const cleanup = jest.fn();
    const lc = lifecycle(p, { stopTimeoutMs: 250, onStopped: cleanup });
    const errors: Error[] = [];
    p.streams.errors$.subscribe((x) => errors.push(x));
    await lc.start();
    for (let i = 0; i < 20; i++) p.offer(e(i));
    const result = await lc.stop();
    expect(result.success).toBe(false);
    expect(result.error).toBeInstanceOf(RecorderStopTimeoutError);
    expect((result.error as RecorderStopTimeoutError).timeoutMs).toBe(250);
    expect(lc.status).toBe('failure');
    // Batches of at most 4 ms (one 100 ms event each) until the 250 ms deadline has passed: 3 events.
    expect(p.drain.processed).toBe(3);
    expect(p.buffer.size).toBe(17);
    expect(errors).toEqual([result.error]);
    await timers.nextMacrotask();
    expect(cleanup).toHaveBeenCalledTimes(1); // onStopped runs as cleanup after the failure
  });

  it('fails sticky, reports once (unless already reported), and never leaves disposed', async () => {
    const p = pipeline();
    const lc = lifecycle(p);
    const errors: Error[] = [];
    p.streams.errors$.subscribe((x) => errors.push(x));
    await lc.start();
    const first = new MetricFailedError('a');
    lc.fail(first, false);
    lc.fail(new MetricFailedError('b'), false);
    expect(lc.status).toBe('failure');
    expect(errors).toEqual([first]);
    expect(lc.causeOpts()).toEqual({ cause: first });
    const refused = await lc.start();
    expect(refused.error).toBeInstanceOf(RecorderInvalidStateError);
    expect(refused.error?.cause).toBe(first);

    const q = pipeline();
    const disposed = lifecycle(q);
    await disposed.dispose();
    disposed.fail(new MetricFailedError('late'), true);
    expect(disposed.status).toBe('disposed');
    expect(disposed.causeOpts()).toBeUndefined();

    const r = pipeline();
    const silent = lifecycle(r);
    const reported: Error[] = [];
    r.streams.errors$.subscribe((x) => reported.push(x));
    silent.fail(new MetricFailedError('x'), false, true);
    expect(silent.status).toBe('failure');
    expect(reported).toEqual([]);
  });

  it('reports a failing onStopped cleanup through the log and errors$, never throwing', async () => {
    const p = pipeline();
    const logged: RecorderHookError[] = [];
    const lc = lifecycle(p, {
      onStopped: () => {
        throw new Error('cleanup');
      },
      logCleanupFailure: (error) => logged.push(error),
    });
    const errors: Error[] = [];
    p.streams.errors$.subscribe((x) => errors.push(x));
    await lc.start();
    lc.fail(new MetricFailedError('a'), true);
    await timers.nextMacrotask();
    expect(logged).toHaveLength(1);
    expect(logged[0]?.phase).toBe('stopped');
    expect(errors.at(-1)).toBe(logged[0]);
  });

  it('dispose settles a start in flight and completes every stream; it is idempotent', async () => {
    const p = pipeline();
    let release!: () => void;
    const lc = lifecycle(p, { onStarting: () => new Promise<void>((resolve) => (release = resolve)) });
    const start = lc.start();
    expect(lc.status).toBe('starting');
    expect(lc.start()).toBe(start); // joins
    const completed: string[] = [];
    p.streams.state$.subscribe({ complete: () => completed.push('state$') });
    p.streams.errors$.subscribe({ complete: () => completed.push('errors$') });
    const disposing = lc.dispose();
    expect(lc.dispose()).toBe(disposing);
    await Promise.resolve();
    release();
    expect((await start).success).toBe(true);
    await disposing;
    expect(lc.status).toBe('disposed');
    expect(completed.sort()).toEqual(['errors$', 'state$']);
    expect((await lc.start()).error).toBeInstanceOf(RecorderInvalidStateError);
  });
});
