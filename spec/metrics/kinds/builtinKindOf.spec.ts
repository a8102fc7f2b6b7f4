import {
  builtinKindOf,
  counter,
  defineMetric,
  gauge,
  histogram,
  MetricsRecorder,
  outcomeCounter,
  quantiles,
  rate,
  upDownCounter,
  type AnyMetric,
  type MetricEvent,
} from 'mvx-common';

describe('builtinKindOf', () => {
  it('names the factory of every built-in kind from its snapshot, and undefined for custom metrics', () => {
    const metrics: Array<[AnyMetric, string | undefined]> = [
      [counter({ name: 'c', on: 'e' }), 'counter'],
      [counter({ name: 'cl', on: 'e', by: ['k'] }), 'counter'],
      [upDownCounter({ name: 'u', on: 'e', value: 'v' }), 'upDownCounter'],
      [gauge({ name: 'g', on: 'e', value: 'v' }), 'gauge'],
      [histogram({ name: 'h', on: 'e', value: 'v' }), 'histogram'],
      [quantiles({ name: 'q', on: 'e', value: 'v' }), 'quantiles'],
      [rate({ name: 'r', on: 'e' }), 'rate'],
      [outcomeCounter({ name: 'o', on: 'e' }), 'outcomeCounter'],
      [
        defineMetric({
          name: 'custom',
          accepts: (e: MetricEvent): e is MetricEvent => e.type === 'e',
          init: () => 0,
          reduce: (s: number) => s + 1,
          dimensions: (s) => ({ total: s, series: [] }),
        }),
        undefined,
      ],
    ];
    const recorder = new MetricsRecorder('kinds');
    for (const [metric] of metrics) recorder.registerMetric(metric);
    recorder.emit({ type: 'e', v: 3, k: 'x', outcome: 'success' });
    const snapshots = recorder.getMetricSnapshots();
    for (const [metric, expected] of metrics)
      expect([metric.name, builtinKindOf(snapshots[metric.name])]).toEqual([metric.name, expected]);
  });

  it('is undefined for values that are not snapshots', () => {
    for (const bad of [
      null,
      undefined,
      1,
      'x',
      {},
      { kind: 'counter' },
      { kind: 'counter', dimensions: null },
    ]) {
      expect(builtinKindOf(bad as never)).toBeUndefined();
    }
  });
});
