// Heavy metrics for bench/runtime.bench.ts, loaded in-process and inside the worker-hosted runtime.
import { defineMetric, type AnyMetric, type MetricEvent } from '../lib/index.js';

type Work = { readonly type: 'bench.work'; readonly value: number };

/** ~1 µs of arithmetic per event: stands in for sketches, label maps and the like. */
function heavy(name: string): AnyMetric {
  return defineMetric({
    name,
    accepts: (e: MetricEvent): e is Work => e.type === 'bench.work',
    init: () => ({ count: 0, acc: 0 }),
    reduce: (s, e: Work) => {
      let acc = s.acc;
      for (let i = 0; i < 60; i++) acc = (acc * 31 + e.value + i) % 1_000_003;
      return { count: s.count + 1, acc };
    },
    dimensions: (s) => ({ count: s.count, acc: s.acc }),
  }) as AnyMetric;
}

export function createMetrics(): AnyMetric[] {
  return [heavy('bench.heavy.a'), heavy('bench.heavy.b'), heavy('bench.heavy.c')];
}
