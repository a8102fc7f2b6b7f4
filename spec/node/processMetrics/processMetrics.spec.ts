import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { map, merge, Subject, timer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  MetricsRecorder,
  RecorderInvalidStateError,
  type MetricEvent,
  type MetricSnapshots,
} from 'mvx-common';
import {
  DEFAULT_GC_DURATION_BUCKETS,
  processMetricDefinitions,
  processMetrics,
  WorkerMetricsRuntime,
  type GcPause,
  type ProcessMetricEvent,
  type ProcessReaders,
  type RemoteRecorder,
} from 'mvx-common/node';

const ROOT = join(__dirname, '..', '..', '..');

/** Readers whose values follow the call count, so every emitted event is known in advance. */
function fakeReaders(gc$: Observable<GcPause>, closed: string[] = []): ProcessReaders {
  let memory = 0;
  let cpu = 0;
  let loop = 0;
  let elu = 0;
  let res = 0;
  return {
    memoryUsage: () => {
      memory++;
      return {
        rss: 1000 * memory,
        heapUsed: 100 * memory,
        heapTotal: 200 * memory,
        external: 10 * memory,
        arrayBuffers: memory,
      };
    },
    cpuUsage: () => {
      cpu++;
      return { user: 1_000_000 * cpu, system: 500_000 * cpu }; // +1 s user, +0.5 s system per call
    },
    eventLoopDelay: () => {
      loop++;
      return loop % 2 === 0
        ? undefined // nothing measured in this interval
        : { min: 0.001, max: 0.02 * loop, mean: 0.005, stddev: 0.002, p50: 0.004, p90: 0.01, p99: 0.015 };
    },
    eventLoopUtilization: () => (elu++ === 0 ? undefined : 0.25),
    activeResources: () => (res++ === 0 ? ['TCPWrap', 'Timeout', 'Timeout'] : ['Timeout']),
    gc$,
    close: () => closed.push('closed'),
  };
}

/** A RemoteRecorder-like target recording what it receives, with the virtual frame. */
function fakeRemote(scheduler: TestScheduler) {
  const received: [number, ProcessMetricEvent][] = [];
  const snapshots$ = new Subject<MetricSnapshots>();
  const target = {
    emit: (e: MetricEvent) => received.push([scheduler.now(), e as ProcessMetricEvent]),
    snapshots$,
  } as unknown as RemoteRecorder;
  return { target, received, snapshots$ };
}

describe('processMetrics', () => {
  it('emits a sample at once and every intervalMs, and each GC pause as it comes (virtual time)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const { target, received } = fakeRemote(scheduler);
    const pause = (seconds: number): GcPause => ({ gcType: 'minor', seconds });
    const gc$ = merge(
      timer(15, scheduler).pipe(map(() => pause(0.002))),
      timer(27, scheduler).pipe(map(() => pause(0.3))),
    );
    const closed: string[] = [];
    const sampler = processMetrics(target, { scheduler, intervalMs: 10, readers: fakeReaders(gc$, closed) });
    scheduler.maxFrames = 25;
    scheduler.flush();
    const types = received.map(([t, e]) => `${t}:${e.type}`);
    expect(types).toEqual([
      '0:mvx.process.memory',
      '0:mvx.process.cpu',
      '0:mvx.process.cpu',
      '0:mvx.process.eventloop.delay',
      '0:mvx.process.eventloop.utilization',
      '0:mvx.process.resources',
      '0:mvx.process.resources',
      '10:mvx.process.memory',
      '10:mvx.process.cpu',
      '10:mvx.process.cpu',
      // the loop-delay reader had nothing for this interval
      '10:mvx.process.eventloop.utilization',
      '10:mvx.process.resources', // Timeout: 1
      '10:mvx.process.resources', // TCPWrap gone: 0
      '15:mvx.process.gc',
      '20:mvx.process.memory',
      '20:mvx.process.cpu',
      '20:mvx.process.cpu',
      '20:mvx.process.eventloop.delay',
      '20:mvx.process.eventloop.utilization',
      '20:mvx.process.resources',
      '20:mvx.process.resources',
    ]);
    const at = (t: number) => received.filter(([f]) => f === t).map(([, e]) => e);
    expect(at(0)).toEqual([
      { type: 'mvx.process.memory', rss: 1000, heapUsed: 100, heapTotal: 200, external: 10, arrayBuffers: 1 },
      { type: 'mvx.process.cpu', mode: 'user', seconds: 1 }, // since processMetrics was called
      { type: 'mvx.process.cpu', mode: 'system', seconds: 0.5 },
      {
        type: 'mvx.process.eventloop.delay',
        min: 0.001,
        max: 0.02,
        mean: 0.005,
        stddev: 0.002,
        p50: 0.004,
        p90: 0.01,
        p99: 0.015,
      },
      { type: 'mvx.process.eventloop.utilization', utilization: 0.25 },
      { type: 'mvx.process.resources', resource: 'TCPWrap', count: 1 },
      { type: 'mvx.process.resources', resource: 'Timeout', count: 2 },
    ]);
    expect(at(10).slice(-2)).toEqual([
      { type: 'mvx.process.resources', resource: 'Timeout', count: 1 },
      { type: 'mvx.process.resources', resource: 'TCPWrap', count: 0 },
    ]);
    expect(at(15)).toEqual([{ type: 'mvx.process.gc', gcType: 'minor', seconds: 0.002 }]);
    expect(sampler.getStats()).toEqual({ samples: 3, readerErrors: 0 });

    sampler.stop();
    sampler.stop();
    expect(sampler.stopped).toBe(true);
    expect(closed).toEqual(['closed']);
    const count = received.length;
    scheduler.maxFrames = 100;
    scheduler.flush(); // the GC pause at 27 and later ticks are gone
    sampler.sample();
    expect(received).toHaveLength(count);
  });

  it('registers the definitions on a MetricsRecorder, which aggregates the samples', async () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const recorder = new MetricsRecorder('process', { scheduler });
    await recorder.start();
    const gc$ = merge(
      timer(5, scheduler).pipe(map(() => ({ gcType: 'minor', seconds: 0.0007 }))),
      timer(6, scheduler).pipe(map(() => ({ gcType: 'major', seconds: 0.2 }))),
      timer(7, scheduler).pipe(map(() => ({ gcType: 'minor', seconds: 0.003 }))),
    );
    const sampler = processMetrics(recorder, { scheduler, intervalMs: 10, readers: fakeReaders(gc$) });
    scheduler.maxFrames = 30;
    scheduler.flush();
    const s = recorder.getMetricSnapshots();
    const d = (name: string) => s[name]!.dimensions as any;
    expect(Object.keys(s)).toEqual(processMetricDefinitions().map((m) => m.name));
    expect(d('process.memory.usage')).toMatchObject({ last: 4000, min: 1000, max: 4000, count: 4 });
    expect(s['process.memory.usage']!.unit).toBe('By');
    expect(d('nodejs.memory.heap.used').last).toBe(400);
    expect(d('nodejs.memory.heap.total').last).toBe(800);
    expect(d('nodejs.memory.external').last).toBe(40);
    expect(d('nodejs.memory.array_buffers').last).toBe(4);
    // 4 samples after the baseline: 4 s user, 2 s system
    expect(d('process.cpu.time').series).toEqual([
      { labels: { 'cpu.mode': 'system' }, total: 2 },
      { labels: { 'cpu.mode': 'user' }, total: 4 },
    ]);
    expect(s['process.cpu.time']).toMatchObject({ kind: 'counter', unit: 's' });
    expect(d('nodejs.eventloop.delay.p99')).toMatchObject({ last: 0.015, count: 2 });
    expect(d('nodejs.eventloop.delay.max')).toMatchObject({ last: 0.06, count: 2 }); // samples 1 and 3
    expect(s['nodejs.eventloop.delay.max']).toMatchObject({ kind: 'gauge', unit: 's' });
    expect(d('nodejs.eventloop.utilization').last).toBe(0.25);
    const gc = d('v8js.gc.duration');
    expect(s['v8js.gc.duration']).toMatchObject({ kind: 'histogram', unit: 's' });
    expect(gc.bounds).toEqual(DEFAULT_GC_DURATION_BUCKETS);
    expect(gc.series.map((x: any) => [x.labels, x.count, x.sum])).toEqual([
      [{ 'v8js.gc.type': 'major' }, 1, 0.2],
      [{ 'v8js.gc.type': 'minor' }, 2, 0.0037],
    ]);
    expect(d('nodejs.active_resources').series).toEqual([
      expect.objectContaining({ labels: { type: 'TCPWrap' }, last: 0 }),
      expect.objectContaining({ labels: { type: 'Timeout' }, last: 1 }),
    ]);

    await recorder.dispose();
    expect(sampler.stopped).toBe(true); // stops by itself with the recorder
  });

  it('stops when a remote recorder facade closes; never throws into the timer', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const { target, received, snapshots$ } = fakeRemote(scheduler);
    const readers = fakeReaders(new Subject<GcPause>());
    const sampler = processMetrics(target, {
      scheduler,
      intervalMs: 10,
      readers: {
        ...readers,
        memoryUsage: () => {
          throw new Error('EMFILE');
        },
        activeResources: () => [7 as never, 'Timeout'],
      },
    });
    expect(sampler.getStats()).toEqual({ samples: 1, readerErrors: 1 });
    expect(received.map(([, e]) => e.type)).not.toContain('mvx.process.memory');
    expect(received.filter(([, e]) => e.type === 'mvx.process.resources').map(([, e]) => e)).toEqual([
      { type: 'mvx.process.resources', resource: 'unknown', count: 1 },
      { type: 'mvx.process.resources', resource: 'Timeout', count: 1 },
    ]);
    snapshots$.complete();
    expect(sampler.stopped).toBe(true);

    // a foreign emitter that throws, a GC stream that errors
    const throwing = {
      emit: () => {
        throw new Error('nope');
      },
      snapshots$: new Subject(),
    } as unknown as RemoteRecorder;
    const gcError = new Subject<GcPause>();
    const s2 = processMetrics(throwing, { scheduler, readers: { ...fakeReaders(gcError) } });
    gcError.next({ gcType: 'minor', seconds: Number.NaN });
    gcError.error(new Error('observer failed'));
    expect(s2.getStats()).toEqual({ samples: 1, readerErrors: 2 });
    s2.stop();
  });

  it('validates its arguments, naming them', async () => {
    const r = new MetricsRecorder('v');
    const gc$ = new Subject<GcPause>();
    const readers = fakeReaders(gc$);
    expect(() => processMetrics({} as never)).toThrow(/`recorder`/);
    expect(() => processMetrics(null as never)).toThrow(TypeError);
    expect(() => processMetrics(r, { intervalMs: 0, readers })).toThrow(RangeError);
    expect(() => processMetrics(r, { intervalMs: 1.5, readers })).toThrow(/`options.intervalMs`/);
    expect(() => processMetrics(r, { intervalMs: '10' as never, readers })).toThrow(TypeError);
    expect(() => processMetrics(r, { intervalMS: 10 } as never)).toThrow(/Unknown option "intervalMS"/);
    expect(() => processMetrics(r, { scheduler: {} as never, readers })).toThrow(/`options.scheduler`/);
    expect(() => processMetrics(r, { readers: { memoryUsage: 1 as never } })).toThrow(
      /`options.readers.memoryUsage`/,
    );
    expect(() => processMetrics(r, { readers: { gc$: {} as never } })).toThrow(/`options.readers.gc\$`/);
    expect(() => processMetrics(r, { readers: { gc: 1 } as never })).toThrow(
      /Unknown option "gc" in `options.readers`/,
    );
    expect(() => processMetrics(r, { gcDurationBuckets: [2, 1], readers })).toThrow(
      /`options.gcDurationBuckets`/,
    );
    expect(() => processMetrics(r, { register: 'yes' as never, readers })).toThrow(/`options.register`/);
    const remote = fakeRemote(new TestScheduler(() => undefined)).target;
    expect(() => processMetrics(remote, { register: true, readers })).toThrow(/`options.register`/);
    expect(() => processMetricDefinitions({ gcDurationBuckets: [] })).toThrow(/`options.gcDurationBuckets`/);
    expect(() => processMetricDefinitions({ buckets: [1] } as never)).toThrow(/Unknown option "buckets"/);
    await r.dispose();
    expect(() => processMetrics(r, { readers })).toThrow(RecorderInvalidStateError);
  });

  it('reads the real Node process: memory, CPU, event-loop delay, GC pauses', async () => {
    const recorder = new MetricsRecorder('node');
    const sampler = processMetrics(recorder, { intervalMs: 60_000 });
    try {
      const first = recorder.getMetricSnapshots();
      expect((first['process.memory.usage']!.dimensions as any).last).toBeGreaterThan(1_000_000);
      expect((first['nodejs.memory.heap.used']!.dimensions as any).last).toBeGreaterThan(0);
      // keep the loop busy and allocate until a GC pause and loop-delay samples were seen
      const deadline = Date.now() + 20_000;
      let junk: unknown[] = [];
      let gcCount = 0;
      let delayCount = 0;
      while ((gcCount === 0 || delayCount === 0) && Date.now() < deadline) {
        for (let i = 0; i < 20_000; i++) junk.push({ i, s: `x${i}` });
        if (junk.length > 200_000) junk = [];
        const spin = Date.now() + 15;
        while (Date.now() < spin); // block the loop a little
        await new Promise((r) => setTimeout(r, 20));
        sampler.sample();
        const s = recorder.getMetricSnapshots();
        gcCount = (s['v8js.gc.duration']!.dimensions as any).count;
        delayCount = (s['nodejs.eventloop.delay.max']!.dimensions as any).count;
      }
      expect(gcCount).toBeGreaterThan(0);
      expect(delayCount).toBeGreaterThan(0);
      const s = recorder.getMetricSnapshots();
      expect((s['nodejs.eventloop.delay.max']!.dimensions as any).max).toBeGreaterThan(0.001);
      const cpu = (s['process.cpu.time']!.dimensions as any).total;
      expect(cpu).toBeGreaterThan(0);
      expect((s['nodejs.eventloop.utilization']!.dimensions as any).last).toBeGreaterThan(0);
      expect((s['nodejs.active_resources']!.dimensions as any).series.length).toBeGreaterThan(0);
    } finally {
      await recorder.dispose();
    }
    expect(sampler.stopped).toBe(true);
  });

  it("never keeps the process alive (timers unref'd; the loop monitor and GC observer released)", async () => {
    const script = `
      const { MetricsRecorder } = require('./lib/index.ts');
      const { processMetrics } = require('./lib/node/index.ts');
      const recorder = new MetricsRecorder('alive');
      const sampler = processMetrics(recorder, { intervalMs: 20 });
      setTimeout(() => console.log(JSON.stringify(sampler.getStats())), 150);
    `;
    const started = Date.now();
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', '-e', script],
        { cwd: ROOT, timeout: 60_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    expect(JSON.parse(out).samples).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('samples on the main thread into a RemoteRecorder; the worker aggregates with processMetricDefinitions()', async () => {
    const runtime = new WorkerMetricsRuntime({
      namespace: 'proc',
      metricsModule: join(ROOT, 'spec', 'node', 'fixtures', 'processMetricsModule.ts'),
    });
    try {
      await runtime.start();
      const remote = await runtime.createRecorder('process');
      const sampler = processMetrics(remote, { intervalMs: 60_000 });
      sampler.sample();
      await remote.flush();
      const s = remote.getMetricSnapshots();
      expect((s['process.memory.usage']!.dimensions as any).count).toBe(2);
      expect((s['v8js.gc.duration']!.dimensions as any).bounds).toEqual([0.001, 0.01, 0.1]);
      expect((s['process.cpu.time']!.dimensions as any).series.map((x: any) => x.labels['cpu.mode'])).toEqual(
        ['system', 'user'],
      );
      await runtime.shutdown();
      expect(sampler.stopped).toBe(true); // the facade closed with the runtime
    } finally {
      await runtime.shutdown().catch(() => undefined);
    }
  });
});
