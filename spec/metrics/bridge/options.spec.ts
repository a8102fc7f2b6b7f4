/**
 * Arguments of the bridge entry points (createPortEmitter, receiveEvents, postSnapshots,
 * mirrorSnapshots): unknown option keys are refused, valid options accepted, hostile values (throwing
 * getters, Proxies) become TypeErrors naming the parameter.
 */
import fc from 'fast-check';
import { of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  createPortEmitter,
  mirrorSnapshots,
  postSnapshots,
  receiveEvents,
  type MessagePortLike,
  MetricsRecorder,
} from 'mvx-common';
import {
  expectReadFailure,
  expectUnknownKey,
  throwingGetter,
  throwingKeysProxy,
  unknownKey,
  withKey,
} from '../../helpers/optionArbitraries.js';

const port = (): MessagePortLike => ({
  postMessage: () => undefined,
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
});

const PORT_EMITTER_KEYS = ['maxBatchSize', 'flushIntervalMs', 'scheduler'];
const validPortEmitterOptions = fc.record(
  {
    maxBatchSize: fc.integer({ min: 1, max: 10_000 }),
    flushIntervalMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
    scheduler: fc.constant(new TestScheduler(() => undefined)),
  },
  { requiredKeys: [] },
);

describe('createPortEmitter options', () => {
  it('accepts every combination of valid options (property)', () => {
    fc.assert(
      fc.property(validPortEmitterOptions, (options) => {
        createPortEmitter(port(), options).close();
      }),
    );
  });

  it('refuses any unknown key, naming it and the accepted keys (property)', () => {
    fc.assert(
      fc.property(
        validPortEmitterOptions,
        unknownKey(PORT_EMITTER_KEYS),
        fc.anything(),
        (options, key, value) => {
          expectUnknownKey(
            () => createPortEmitter(port(), withKey(options, key, value)),
            'options',
            key,
            PORT_EMITTER_KEYS,
          );
        },
      ),
    );
  });

  it('turns hostile options into TypeErrors naming the option', () => {
    expectReadFailure(
      () => createPortEmitter(port(), throwingGetter('maxBatchSize')),
      '`options.maxBatchSize`',
    );
    expectReadFailure(() => createPortEmitter(port(), throwingKeysProxy()), '`options`');
    expect(() => createPortEmitter(port(), { maxBatchSize: 0 })).toThrow(RangeError);
    expect(() => createPortEmitter(port(), { maxBatchSize: 0 })).toThrow(/`options.maxBatchSize`/);
    expect(() => createPortEmitter(port(), { flushIntervalMs: NaN })).toThrow(/`options.flushIntervalMs`/);
    expect(() => createPortEmitter(port(), null as never)).toThrow(/`options`/);
  });
});

describe('bridge arguments', () => {
  const hostilePorts: unknown[] = [
    null,
    undefined,
    42,
    {},
    { postMessage: () => undefined },
    Object.create(null),
  ];

  it('refuses a value that is not a MessagePort-like, naming the parameter', () => {
    for (const bad of hostilePorts) {
      expect(() => createPortEmitter(bad as MessagePortLike)).toThrow(/`port`/);
      expect(() => receiveEvents(bad as MessagePortLike, new MetricsRecorder('x'))).toThrow(/`port`/);
      expect(() => mirrorSnapshots(bad as MessagePortLike)).toThrow(/`port`/);
      expect(() => postSnapshots(of({}), bad as MessagePortLike)).toThrow(/`port`/);
    }
  });

  it('turns a port with throwing getters into a TypeError naming it', () => {
    const hostile = throwingGetter('postMessage');
    expectReadFailure(() => createPortEmitter(hostile as MessagePortLike), '`port`');
    expectReadFailure(() => mirrorSnapshots(hostile as MessagePortLike), '`port`');
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error('get trap');
        },
      },
    );
    expectReadFailure(() => receiveEvents(trap as MessagePortLike, new MetricsRecorder('x')), '`port`');
  });

  it('refuses a receiveEvents target without emit, naming it', () => {
    for (const bad of [null, undefined, 'recorder', {}, { emit: 1 }]) {
      expect(() => receiveEvents(port(), bad as never)).toThrow(TypeError);
      expect(() => receiveEvents(port(), bad as never)).toThrow(/`target`/);
    }
    expectReadFailure(() => receiveEvents(port(), throwingGetter('emit') as never), '`target.emit`');
  });

  it('refuses a postSnapshots source that is not an Observable, naming it', () => {
    for (const bad of [null, undefined, {}, [], { subscribe: 'no' }]) {
      expect(() => postSnapshots(bad as never, port())).toThrow(/`snapshots\$`/);
    }
    expectReadFailure(
      () => postSnapshots(throwingGetter('subscribe') as never, port()),
      '`snapshots$.subscribe`',
    );
  });
});
