import { asapScheduler } from 'rxjs';
import {
  DEFAULT_RECORDER_CAPACITY,
  DEFAULT_RECORDER_NAMESPACE,
  DEFAULT_STOP_TIMEOUT_MS,
  MetricsRecorder,
} from 'mvx-common';
// Internals on purpose: option resolution and id normalisation.
import { normalizeEntityId, resolveRecorderOptions } from '../../../lib/metrics/recorder/recorderOptions.js';

describe('resolveRecorderOptions', () => {
  it('applies the defaults', () => {
    expect(resolveRecorderOptions(undefined)).toEqual({
      namespace: DEFAULT_RECORDER_NAMESPACE,
      capacity: DEFAULT_RECORDER_CAPACITY,
      overflow: 'drop-newest',
      scheduler: undefined,
      metricErrors: 'isolate',
      stopTimeoutMs: DEFAULT_STOP_TIMEOUT_MS,
      startTimeoutMs: 5_000,
      logContext: null,
    });
    expect([DEFAULT_RECORDER_NAMESPACE, DEFAULT_RECORDER_CAPACITY, DEFAULT_STOP_TIMEOUT_MS]).toEqual([
      'mvx.metrics.recorder',
      10_000,
      5_000,
    ]);
  });

  it('keeps valid values (namespace trimmed, blank namespace -> default)', () => {
    const r = resolveRecorderOptions({
      namespace: '  orders ',
      capacity: 3,
      overflow: 'error',
      metricErrors: 'fail-recorder',
      stopTimeoutMs: 0,
      scheduler: asapScheduler,
    });
    expect(r).toMatchObject({
      namespace: 'orders',
      capacity: 3,
      overflow: 'error',
      metricErrors: 'fail-recorder',
      stopTimeoutMs: 0,
      scheduler: asapScheduler,
    });
    expect(resolveRecorderOptions({ namespace: '   ' }).namespace).toBe(DEFAULT_RECORDER_NAMESPACE);
  });

  it.each([
    ['options', 'x', TypeError],
    ['options', null, TypeError],
    ['options', [], TypeError],
  ])('rejects a non-object %s (%p)', (name, value, type) => {
    expect(() => resolveRecorderOptions(value as never)).toThrow(type);
    expect(() => resolveRecorderOptions(value as never)).toThrow(`\`${name}\``);
  });

  it.each([
    ['namespace', 5, TypeError],
    ['capacity', '10', TypeError],
    ['capacity', true, TypeError],
    ['capacity', 0, RangeError],
    ['capacity', -1, RangeError],
    ['capacity', 1.5, RangeError],
    ['capacity', Number.NaN, RangeError],
    ['overflow', 'DROP', RangeError],
    ['overflow', 1, TypeError],
    ['metricErrors', 'ignore', RangeError],
    ['stopTimeoutMs', -1, RangeError],
    ['stopTimeoutMs', Number.POSITIVE_INFINITY, RangeError],
    ['stopTimeoutMs', '5', TypeError],
    ['scheduler', {}, TypeError],
    ['scheduler', null, TypeError],
    ['scheduler', () => 0, TypeError],
  ])('rejects options.%s = %p with a %p naming it', (field, value, type) => {
    const options = { [field]: value } as never;
    expect(() => resolveRecorderOptions(options)).toThrow(type);
    expect(() => resolveRecorderOptions(options)).toThrow(`\`options.${field}\``);
    // the constructor validates the same way
    expect(() => new MetricsRecorder('r', options)).toThrow(type);
  });
});

describe('normalizeEntityId', () => {
  it('trims the id', () => {
    expect(normalizeEntityId('  orders\n')).toBe('orders');
    expect(new MetricsRecorder(' a b ').entityId).toBe('a b');
  });

  it('replaces a blank id with a random 8-hex id', () => {
    const ids = new Set<string>();
    for (const blank of ['', '   ', '\t']) {
      const id = new MetricsRecorder(blank).entityId;
      expect(id).toMatch(/^[0-9a-f]{8}$/);
      ids.add(id);
    }
    expect(ids.size).toBeGreaterThan(1);
  });

  it.each([null, undefined, 42, {}])(
    'rejects a non-string id (%p) with a TypeError naming entityId',
    (id) => {
      expect(() => new MetricsRecorder(id as never)).toThrow(TypeError);
      expect(() => new MetricsRecorder(id as never)).toThrow('`entityId`');
    },
  );
});
