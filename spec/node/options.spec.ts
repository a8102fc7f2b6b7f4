/**
 * Options of WorkerMetricsRuntime (its constructor, `recorderDefaults`, `batching`, `workerOptions`) and
 * of `createRecorder`: unknown keys are refused naming the key and the accepted ones, valid options are
 * accepted, hostile values become TypeErrors naming the option.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
import { LogContext, MemorySink } from 'mvx-common';
import { WorkerMetricsRuntime, type WorkerRuntimeOptions } from 'mvx-common/node';
import {
  expectReadFailure,
  expectUnknownKey,
  expectUnknownKeyRejects,
  throwingGetter,
  throwingKeysProxy,
  unknownKey,
  withKey,
} from '../helpers/optionArbitraries.js';

const metricsModule = join(__dirname, 'fixtures', 'jobMetrics.ts');

const RUNTIME_KEYS = [
  'namespace',
  'metricsModule',
  'recorderDefaults',
  'logContext',
  'shutdownTimeoutMs',
  'startTimeoutMs',
  'batching',
  'workerOptions',
  'hostModule',
];
const RECORDER_KEYS = [
  'namespace',
  'capacity',
  'overflow',
  'metricErrors',
  'stopTimeoutMs',
  'startTimeoutMs',
];
const BATCHING_KEYS = ['maxBatchSize', 'flushIntervalMs'];

const recorderOptions = fc.record(
  {
    namespace: fc.constantFrom('a', 'jobs.worker', ' spaced '),
    capacity: fc.integer({ min: 1, max: 100_000 }),
    overflow: fc.constantFrom('drop-newest' as const, 'drop-oldest' as const, 'error' as const),
    metricErrors: fc.constantFrom('isolate' as const, 'fail-recorder' as const),
    stopTimeoutMs: fc.integer({ min: 0, max: 60_000 }),
    startTimeoutMs: fc.integer({ min: 0, max: 60_000 }),
  },
  { requiredKeys: [] },
);
const batching = fc.record(
  { maxBatchSize: fc.integer({ min: 1, max: 4096 }), flushIntervalMs: fc.integer({ min: 0, max: 1000 }) },
  { requiredKeys: [] },
);
const runtimeOptions: fc.Arbitrary<WorkerRuntimeOptions> = fc.record(
  {
    namespace: fc.constantFrom('jobs', ' http '),
    metricsModule: fc.constantFrom(metricsModule, new URL(`file://${metricsModule}`)),
    recorderDefaults: recorderOptions,
    logContext: fc.constantFrom(null, LogContext.root({ sink: new MemorySink() })),
    shutdownTimeoutMs: fc.integer({ min: 0, max: 60_000 }),
    startTimeoutMs: fc.integer({ min: 0, max: 60_000 }),
    batching,
    workerOptions: fc.constantFrom({}, { execArgv: [] }, { resourceLimits: { maxOldGenerationSizeMb: 64 } }),
    hostModule: fc.constantFrom('/somewhere/host.js'),
  },
  { requiredKeys: ['namespace', 'metricsModule'] },
);

describe('WorkerMetricsRuntime options', () => {
  it('accepts every combination of valid options (property; no worker is started)', () => {
    fc.assert(
      fc.property(runtimeOptions, (options) => {
        expect(new WorkerMetricsRuntime(options).getStatus()).toBe('virgin');
      }),
    );
  });

  it('refuses any unknown key of the options, naming it and the accepted keys (property)', () => {
    fc.assert(
      fc.property(runtimeOptions, unknownKey(RUNTIME_KEYS), fc.anything(), (options, key, value) => {
        expectUnknownKey(
          () => new WorkerMetricsRuntime(withKey(options, key, value) as never),
          'options',
          key,
          RUNTIME_KEYS,
        );
      }),
    );
  });

  it('refuses any unknown key of recorderDefaults and batching (property)', () => {
    fc.assert(
      fc.property(runtimeOptions, unknownKey(RECORDER_KEYS), fc.anything(), (options, key, value) => {
        const recorderDefaults = withKey(options.recorderDefaults ?? {}, key, value);
        expectUnknownKey(
          () => new WorkerMetricsRuntime({ ...options, recorderDefaults } as never),
          'options.recorderDefaults',
          key,
          RECORDER_KEYS,
        );
      }),
    );
    fc.assert(
      fc.property(runtimeOptions, unknownKey(BATCHING_KEYS), fc.anything(), (options, key, value) => {
        const b = withKey(options.batching ?? {}, key, value);
        expectUnknownKey(
          () => new WorkerMetricsRuntime({ ...options, batching: b } as never),
          'options.batching',
          key,
          BATCHING_KEYS,
        );
      }),
    );
  });

  it('explains why recorderDefaults cannot have a scheduler or a log context', () => {
    const base = { namespace: 'n', metricsModule };
    for (const [key, value] of [
      ['scheduler', new TestScheduler(() => undefined)],
      ['logContext', LogContext.root({ sink: new MemorySink() })],
    ] as const) {
      expect(
        () => new WorkerMetricsRuntime({ ...base, recorderDefaults: { [key]: value } as never }),
      ).toThrow(
        new RegExp(`Unknown option "${key}" in \`options.recorderDefaults\` \\(.*cannot cross threads\\)`),
      );
    }
  });

  it('names the nested option of a bad value', () => {
    const base = { namespace: 'n', metricsModule };
    expect(() => new WorkerMetricsRuntime({ ...base, recorderDefaults: { capacity: 0 } })).toThrow(
      /`options.recorderDefaults.capacity`/,
    );
    expect(() => new WorkerMetricsRuntime({ ...base, recorderDefaults: { capacity: 0 } })).toThrow(
      RangeError,
    );
    expect(() => new WorkerMetricsRuntime({ ...base, batching: { maxBatchSize: 1.5 } })).toThrow(
      /`options.batching.maxBatchSize`/,
    );
    expect(() => new WorkerMetricsRuntime({ ...base, batching: { flushIntervalMs: -1 } })).toThrow(
      /`options.batching.flushIntervalMs`/,
    );
    expect(() => new WorkerMetricsRuntime({ ...base, hostModule: '' })).toThrow(/`options.hostModule`/);
    expect(() => new WorkerMetricsRuntime({ ...base, workerOptions: 'x' as never })).toThrow(
      /`options.workerOptions`/,
    );
    for (const reserved of ['eval', 'workerData', 'transferList']) {
      expect(() => new WorkerMetricsRuntime({ ...base, workerOptions: { [reserved]: 1 } as never })).toThrow(
        new RegExp(`"${reserved}" of \`options.workerOptions\` is not allowed`),
      );
    }
    expect(() => new WorkerMetricsRuntime(undefined as never)).toThrow(/`options`/);
    for (const url of [new URL('https://example.com/m.js'), 'file://remote-host/m.js']) {
      expect(() => new WorkerMetricsRuntime({ namespace: 'n', metricsModule: url })).toThrow(
        /`options.metricsModule` to be a non-empty path or file URL/,
      );
    }
  });

  it('turns hostile options into TypeErrors naming the option', () => {
    const base = { namespace: 'n', metricsModule };
    expectReadFailure(
      () => new WorkerMetricsRuntime(throwingGetter('namespace', base) as never),
      '`options.namespace`',
    );
    expectReadFailure(() => new WorkerMetricsRuntime(throwingKeysProxy() as never), '`options`');
    expectReadFailure(
      () => new WorkerMetricsRuntime({ ...base, recorderDefaults: throwingGetter('capacity') as never }),
      '`options.recorderDefaults.capacity`',
    );
    expectReadFailure(
      () => new WorkerMetricsRuntime({ ...base, batching: throwingKeysProxy() as never }),
      '`options.batching`',
    );
    expectReadFailure(
      () => new WorkerMetricsRuntime({ ...base, workerOptions: throwingGetter('env') as never }),
      '`options.workerOptions.env`',
    );
    expectReadFailure(
      () => new WorkerMetricsRuntime({ ...base, workerOptions: throwingKeysProxy() as never }),
      '`options.workerOptions`',
    );
  });
});

describe('WorkerMetricsRuntime.createRecorder options', () => {
  let runtime: WorkerMetricsRuntime;
  beforeAll(async () => {
    runtime = new WorkerMetricsRuntime({ namespace: 'options', metricsModule });
    await runtime.start();
  }, 60_000);
  afterAll(async () => {
    await runtime.shutdown();
  });

  const createKeys = [...RECORDER_KEYS, 'entityId'];
  let n = 0;

  it('accepts valid options and hosts the recorder with them (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        recorderOptions,
        fc.option(fc.constantFrom('e1', 'entity two')),
        async (options, entityId) => {
          const id = `r${n++}`;
          const facade = await runtime.createRecorder(
            id,
            entityId === null ? options : { ...options, entityId },
          );
          expect(facade.entityId).toBe(entityId ?? id);
          expect(facade.namespace).toBe(options.namespace?.trim() || 'options');
          await runtime.stopAndRemoveRecorder(id);
        },
      ),
      { numRuns: 15 },
    );
  }, 60_000);

  it('refuses any unknown key, naming it and the accepted keys (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        recorderOptions,
        unknownKey(createKeys),
        fc.anything(),
        async (options, key, value) => {
          await expectUnknownKeyRejects(
            () => runtime.createRecorder(`u${n++}`, withKey(options, key, value) as never),
            'options',
            key,
            createKeys,
          );
        },
      ),
    );
    expect(runtime.listRecorderIds().filter((id) => id.startsWith('u'))).toEqual([]);
  });

  it('refuses a scheduler, a log context and hostile options', async () => {
    await expect(
      runtime.createRecorder('s', { scheduler: new TestScheduler(() => undefined) } as never),
    ).rejects.toThrow(/Unknown option "scheduler" in `options` \(.*cannot cross threads\)/);
    await expect(runtime.createRecorder('s', { entityId: 5 } as never)).rejects.toThrow(/`options.entityId`/);
    await expect(runtime.createRecorder('s', { capacity: -1 })).rejects.toThrow(/`options.capacity`/);
    const error = await runtime
      .createRecorder('s', throwingGetter('capacity') as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('`options.capacity`');
  });
});
