import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import {
  RecorderAlreadyExistsError,
  RecorderNotFoundError,
  RuntimeInvalidStateError,
  type RecorderStats,
} from 'mvx-common';
import {
  WorkerCrashedError,
  WorkerMetricsRuntime,
  type LostEvents,
  type RemoteRecorder,
} from 'mvx-common/node';
import type { Save } from './fixtures/reliabilityMetrics.js';
import { until } from '../helpers/wait.js';

const metricsModule = join(__dirname, 'fixtures', 'reliabilityMetrics.ts');
/** Generous bound on every call; far beyond what a healthy run needs, far below "hangs". */
const BOUND_MS = 15_000;

const save = (i: number): Save => ({
  type: 'save',
  outcome: i % 3 === 0 ? 'failure' : 'success',
  region: ['eu', 'us'][i % 2]!,
  durationMs: i % 100,
  size: i,
});

async function settles<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), BOUND_MS);
  });
  try {
    const outcome = await Promise.race([promise.then((value) => ({ value })), timeout]);
    if (outcome === 'timeout') throw new Error(`a call did not settle within ${BOUND_MS} ms`);
    return outcome;
  } catch (error) {
    if ((error as Error).message?.startsWith('a call did not settle')) throw error;
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

interface Model {
  /** 'running' until a kill ('failure') or a shutdown ('closed'). */
  state: 'running' | 'failure' | 'closed';
  readonly registered: Set<string>;
  /** Registered ids whose recorder was stopped (it refuses events). */
  readonly stopped: Set<string>;
}

interface Real {
  readonly runtime: WorkerMetricsRuntime;
  /** The facade each id last got (emits go there, also after its removal). */
  readonly latest: Map<string, RemoteRecorder>;
  /** Every facade ever created. */
  readonly facades: RemoteRecorder[];
  /** Facades registered when the worker was lost, with what the runtime said they lost. */
  lost: { readonly facades: Map<RemoteRecorder, string>; readonly counts: LostEvents } | undefined;
}

type Cmd = fc.AsyncCommand<Model, Real>;

const expectInvalid = (error: unknown) => expect(error).toBeInstanceOf(RuntimeInvalidStateError);

class Create implements Cmd {
  constructor(readonly id: string) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const { value, error } = await settles(r.runtime.createRecorder(this.id));
    if (m.state !== 'running') return expectInvalid(error);
    if (m.registered.has(this.id)) return expect(error).toBeInstanceOf(RecorderAlreadyExistsError);
    expect(error).toBeUndefined();
    m.registered.add(this.id);
    m.stopped.delete(this.id);
    r.latest.set(this.id, value!);
    r.facades.push(value!);
  }
  toString = () => `create(${this.id})`;
}

class Emit implements Cmd {
  constructor(
    readonly id: string,
    readonly count: number,
    readonly invalidEvery: number,
  ) {}
  check = () => true;
  async run(_m: Model, r: Real): Promise<void> {
    const facade = r.latest.get(this.id);
    if (!facade) return;
    expect(() => {
      for (let i = 0; i < this.count; i++)
        facade.emit(i % this.invalidEvery === this.invalidEvery - 1 ? (null as never) : save(i));
    }).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
  }
  toString = () => `emit(${this.id}, ${this.count}, invalid 1/${this.invalidEvery})`;
}

class Flush implements Cmd {
  constructor(readonly id: string) {}
  check = () => true;
  async run(_m: Model, r: Real): Promise<void> {
    const facade = r.latest.get(this.id);
    if (!facade) return;
    const { error } = await settles(facade.flush());
    expect(error).toBeUndefined(); // flush never rejects
  }
  toString = () => `flush(${this.id})`;
}

class Stop implements Cmd {
  constructor(
    readonly id: string,
    readonly remove: boolean,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const call = this.remove ? r.runtime.stopAndRemoveRecorder(this.id) : r.runtime.stopRecorder(this.id);
    const { value, error } = await settles<unknown>(call);
    if (m.state !== 'running') return expectInvalid(error);
    if (!m.registered.has(this.id)) return expect(error).toBeInstanceOf(RecorderNotFoundError);
    expect(error).toBeUndefined();
    if (this.remove) {
      expect(value).toBe(r.latest.get(this.id));
      m.registered.delete(this.id);
    }
    m.stopped.add(this.id);
  }
  toString = () => `${this.remove ? 'stopAndRemove' : 'stop'}(${this.id})`;
}

class Kill implements Cmd {
  constructor(readonly how: 'terminate' | 'process.exit') {}
  check = (m: Readonly<Model>) => m.state === 'running';
  async run(m: Model, r: Real): Promise<void> {
    const registered = new Map([...m.registered].map((id) => [r.latest.get(id)!, id] as const));
    const crashed = new Promise<WorkerCrashedError>((resolve) => {
      const sub = r.runtime.errors$.subscribe((e) => {
        sub.unsubscribe();
        resolve(e as WorkerCrashedError);
      });
    });
    const running = [...m.registered].filter((id) => !m.stopped.has(id));
    const target = running.length > 0 ? r.latest.get(running[0]!) : undefined;
    if (this.how === 'process.exit' && target) target.emit({ type: 'test.exit' } as never);
    else await (r.runtime as unknown as { worker: Worker }).worker.terminate();
    const { value: error } = await settles(crashed);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    await until(() => r.runtime.getStatus() === 'failure', { timeoutMs: BOUND_MS });
    m.state = 'failure';
    r.lost = { facades: registered, counts: error!.lostEvents };
  }
  toString = () => `kill(${this.how})`;
}

class Shutdown implements Cmd {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const { error } = await settles(r.runtime.shutdown());
    expect(error).toBeUndefined();
    expect(r.runtime.getStatus()).toBe('closed');
    m.state = 'closed';
    m.registered.clear();
    m.stopped.clear();
  }
  toString = () => 'shutdown';
}

const ids = fc.constantFrom('a', 'b', 'c');
/**
 * Sequences that start with two creates (so most commands have a recorder to act on), then a weighted
 * mix. A worker start costs 0.1-1 s, so a run is one worker: few runs, up to 14 commands each, and no
 * shrinking (each shrink step would start a worker).
 */
const commands: fc.Arbitrary<Cmd[]> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: ids.map((id): Cmd => new Create(id)) },
      {
        weight: 4,
        arbitrary: fc
          .tuple(ids, fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 2, max: 50 }))
          .map(([id, n, every]): Cmd => new Emit(id, n, every)),
      },
      { weight: 2, arbitrary: ids.map((id): Cmd => new Flush(id)) },
      { weight: 2, arbitrary: fc.tuple(ids, fc.boolean()).map(([id, remove]): Cmd => new Stop(id, remove)) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom('terminate' as const, 'process.exit' as const)
          .map((how): Cmd => new Kill(how)),
      },
      { weight: 1, arbitrary: fc.constant<Cmd>(new Shutdown()) },
    ),
    { minLength: 4, maxLength: 12 },
  )
  .map((rest) => [new Create('a'), new Create('b'), ...rest]);

describe('WorkerMetricsRuntime, model-based', () => {
  it('random interleavings (worker killed mid-way included): every call settles, shutdown ends closed, every event is accounted for', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const runtime = new WorkerMetricsRuntime({
          namespace: 'test.model',
          metricsModule,
          requestTimeoutMs: 3_000,
        });
        const real: Real = { runtime, latest: new Map(), facades: [], lost: undefined };
        try {
          await runtime.start();
          const model: Model = { state: 'running', registered: new Set(), stopped: new Set() };
          await fc.asyncModelRun(() => ({ model, real }), cmds);
        } finally {
          const { error } = await settles(runtime.shutdown());
          if (real.lost === undefined) expect(error).toBeUndefined();
        }
        expect(runtime.getStatus()).toBe('closed');
        for (const facade of real.facades) {
          const bridge = facade.getBridgeStats();
          const s = facade.getStats() as RecorderStats;
          const lostId = real.lost?.facades.get(facade);
          const lost = lostId === undefined ? 0 : real.lost!.counts[lostId]!;
          expect(bridge.emitted).toBe(
            s.processed + s.dropped + s.rejected + bridge.dropped + bridge.shed + bridge.failed + lost,
          );
        }
      }),
      { numRuns: 3, endOnFailure: true },
    );
  }, 180_000);
});
