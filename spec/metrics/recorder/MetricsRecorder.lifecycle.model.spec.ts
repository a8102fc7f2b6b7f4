/**
 * Model-based test of the recorder's lifecycle under random interleavings: start / stop / dispose /
 * flush / emit / registerMetric / reads, some of them re-entrant (called from `state$`, `stats$`,
 * `snapshots$`, `changes$` and `errors$` subscribers and from the hooks), with hooks and metrics that
 * are slow or fail. Whatever happens:
 *
 * - no promise rejects, none throws synchronously, `emit` never throws;
 * - every promise settles within its bound (the recorder's timeouts plus slack);
 * - after `dispose()` settles the state is `disposed`, every stream completed;
 * - the accounting invariant holds at every observation, and every accepted event is processed,
 *   dropped or counted pending.
 */
import fc from 'fast-check';
import {
  defineMetric,
  MetricsRecorder,
  RecorderUnexpectedError,
  type MetricEvent,
  type RecorderOptions,
  type RecorderStats,
} from 'mvx-common';
import { sleep } from '../../helpers/wait.js';

type Op =
  | 'start'
  | 'stop'
  | 'dispose'
  | 'flush'
  | 'emit'
  | 'emitInvalid'
  | 'registerEvent'
  | 'register'
  | 'read'
  | 'tick';

const OPS: readonly Op[] = [
  'start',
  'stop',
  'dispose',
  'flush',
  'emit',
  'emitInvalid',
  'registerEvent',
  'register',
  'read',
  'tick',
];
const STREAMS = ['state$', 'stats$', 'snapshots$', 'changes$', 'errors$'] as const;

interface Scenario {
  readonly ops: readonly Op[];
  readonly reentrant: readonly {
    readonly stream: (typeof STREAMS)[number];
    readonly op: Op;
    readonly after: number;
  }[];
  readonly capacity: number;
  readonly overflow: NonNullable<RecorderOptions['overflow']>;
  readonly metricErrors: NonNullable<RecorderOptions['metricErrors']>;
  readonly startHook: 'none' | 'fast' | 'slow' | 'fails' | 'hangs';
  readonly stopHook: 'fast' | 'slow' | 'fails' | 'hangs';
  readonly metricFailsEvery: number;
  readonly hookCalls: readonly Op[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  ops: fc.array(fc.constantFrom(...OPS), { maxLength: 30 }),
  reentrant: fc.array(
    fc.record({
      stream: fc.constantFrom<(typeof STREAMS)[number]>('state$', 'state$', ...STREAMS),
      op: fc.constantFrom<Op>('dispose', 'dispose', 'stop', 'start', 'flush', 'emit', 'read', 'register'),
      after: fc.nat(4),
    }),
    { maxLength: 4 },
  ),
  capacity: fc.integer({ min: 1, max: 20 }),
  overflow: fc.constantFrom('drop-newest', 'drop-oldest', 'error'),
  metricErrors: fc.constantFrom('isolate', 'fail-recorder'),
  startHook: fc.constantFrom('none', 'fast', 'slow', 'fails', 'hangs'),
  stopHook: fc.constantFrom('fast', 'slow', 'fails', 'hangs'),
  metricFailsEvery: fc.integer({ min: 0, max: 7 }),
  hookCalls: fc.array(fc.constantFrom<Op>('dispose', 'stop', 'start', 'flush', 'emit', 'read'), {
    maxLength: 2,
  }),
});

const START_TIMEOUT = 30;
const STOP_TIMEOUT = 40;
/** Bound on any promise: both timeouts, a hung cleanup and generous slack for a busy machine. */
const BOUND_MS = 5_000;

const holds = (s: RecorderStats): boolean => s.offered === s.processed + s.pending + s.dropped + s.rejected;

async function runScenario(sc: Scenario): Promise<string[]> {
  const problems: string[] = [];
  const pending: Promise<unknown>[] = [];
  let n = 0;
  const hookOps = [...sc.hookCalls];

  class Hooked extends MetricsRecorder {
    protected override async onStarting(): Promise<void> {
      callFromHook();
      if (sc.startHook === 'slow') await sleep(5);
      if (sc.startHook === 'fails') throw new Error('start hook failed');
      if (sc.startHook === 'hangs') await new Promise(() => undefined);
    }
    protected override async onStopped(): Promise<void> {
      callFromHook();
      if (sc.stopHook === 'slow') await sleep(5);
      if (sc.stopHook === 'fails') throw new Error('stop hook failed');
      if (sc.stopHook === 'hangs') await new Promise(() => undefined);
    }
  }
  const options: RecorderOptions = {
    capacity: sc.capacity,
    overflow: sc.overflow,
    metricErrors: sc.metricErrors,
    startTimeoutMs: START_TIMEOUT,
    stopTimeoutMs: STOP_TIMEOUT,
  };
  const recorder =
    sc.startHook === 'none' ? new MetricsRecorder('model', options) : new Hooked('model', options);

  let seen = 0;
  const metric = (name: string) =>
    defineMetric({
      name,
      accepts: (e: MetricEvent): e is MetricEvent => e.type === 'tick',
      init: () => ({ n: 0 }),
      reduce: (s: { n: number }) => {
        seen++;
        if (sc.metricFailsEvery > 0 && seen % sc.metricFailsEvery === 0) throw new Error('metric failed');
        return { n: s.n + 1 };
      },
      dimensions: (s) => s,
    });

  const check = (where: string): void => {
    const stats = recorder.getStats();
    if (!holds(stats)) problems.push(`${where}: invariant broken ${JSON.stringify(stats)}`);
  };
  const track = (label: string, p: unknown): void => {
    if (!(p instanceof Promise)) {
      problems.push(`${label} did not return a Promise`);
      return;
    }
    const bounded = Promise.race([
      p.then(
        () => 'ok',
        (e: unknown) => `rejected: ${String(e)}`,
      ),
      sleep(BOUND_MS).then(() => 'timeout'),
    ]).then((outcome) => {
      if (outcome !== 'ok') problems.push(`${label} ${outcome}`);
    });
    pending.push(bounded);
  };
  const perform = (op: Op, where: string): void => {
    try {
      switch (op) {
        case 'start':
          track(`${where} start`, recorder.start());
          break;
        case 'stop':
          track(`${where} stop`, recorder.stop());
          break;
        case 'dispose':
          track(`${where} dispose`, recorder.dispose());
          break;
        case 'flush':
          track(`${where} flush`, recorder.flush());
          break;
        case 'emit':
        case 'tick':
          recorder.emit({ type: 'tick' });
          break;
        case 'emitInvalid':
          recorder.emit(null as never);
          break;
        case 'registerEvent':
          try {
            recorder.registerEvent({ type: 'tick' });
          } catch (e) {
            // expected refusals (state, overflow) are typed errors with a code
            if (!(e instanceof Error) || typeof (e as { code?: unknown }).code !== 'string') {
              problems.push(`${where} registerEvent threw ${String(e)}`);
            }
          }
          break;
        case 'register':
          try {
            recorder.registerMetric(metric(`m${n++ % 3}`));
          } catch (e) {
            if (!(e instanceof Error) || typeof (e as { code?: unknown }).code !== 'string') {
              problems.push(`${where} registerMetric threw ${String(e)}`);
            }
          }
          break;
        case 'read':
          recorder.getMetricSnapshots();
          break;
      }
    } catch (e) {
      problems.push(`${where} ${op} threw synchronously: ${String(e)}`);
    }
    check(`${where} ${op}`);
  };
  function callFromHook(): void {
    const op = hookOps.shift();
    if (op !== undefined) perform(op, 'hook');
  }

  for (const r of sc.reentrant) {
    let count = 0;
    const stream = recorder[r.stream] as unknown as { subscribe(f: () => void): unknown };
    stream.subscribe(() => {
      if (count++ === r.after) perform(r.op, `re-entrant(${r.stream})`);
    });
  }
  let failed = false;
  recorder.state$.subscribe((s) => {
    if (s === 'failure') failed = true;
  });
  recorder.errors$.subscribe((e) => {
    if (e instanceof RecorderUnexpectedError) problems.push(`unexpected: ${e.message}`);
  });
  let completed = 0;
  for (const s of STREAMS) {
    (recorder[s] as unknown as { subscribe(o: { complete(): void }): unknown }).subscribe({
      complete: () => void completed++,
    });
  }

  for (const op of sc.ops) {
    perform(op, 'top');
    if (op === 'tick') await sleep(0);
  }
  track('final dispose', recorder.dispose());
  await Promise.all(pending);
  // Later promises (from re-entrant calls during the final dispose) settle too.
  await Promise.all(pending);
  if (recorder.getStatus() !== 'disposed') problems.push(`final state ${recorder.getStatus()}`);
  if (completed !== STREAMS.length) problems.push(`${completed} of ${STREAMS.length} streams completed`);
  const stats = recorder.getStats();
  if (!holds(stats)) problems.push(`final invariant broken ${JSON.stringify(stats)}`);
  if (stats.accepted < stats.processed)
    problems.push(`processed more than accepted ${JSON.stringify(stats)}`);
  // Without a failure, dispose() stopped the recorder, and a stop processes everything accepted.
  if (!failed && stats.pending !== 0)
    problems.push(`left pending without a failure ${JSON.stringify(stats)}`);
  return problems;
}

describe('MetricsRecorder lifecycle (model-based, re-entrant)', () => {
  it('settles everything, ends disposed and keeps its accounting, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        expect(await runScenario(sc)).toEqual([]);
      }),
      { numRuns: 200, interruptAfterTimeLimit: 20_000 },
    );
  }, 60_000);
});
