/**
 * Regressions of the worker runtime and of the thread bridge it runs on: one test per fixed defect, named
 * for what broke and in which version. Each fails on the code that had the defect.
 *
 * Pinned elsewhere (each by a test that runs a real worker, too slow to repeat here):
 * - 0.3.0: a worker-hosted recorder dropped up to 95% of a burst once a drain batch was cut short (Node
 *   delivers queued port messages back to back): spec/metrics/bridge/receiveEvents.flow.spec.ts, "keeps up
 *   with port messages delivered back to back", and spec/node/WorkerMetricsRuntime.reliability.spec.ts,
 *   "keeps up with a burst even after one slow event cut a drain batch short".
 * - 0.3.0: `flush()` and `stopRecorder()` never settled when a worker metric looped forever:
 *   WorkerMetricsRuntime.reliability.spec.ts, "terminates and reports a worker whose event loop is blocked".
 * - 0.3.0: a stop with a 300 ms `stopTimeoutMs` took 6 s with a 10 ms-per-event metric:
 *   WorkerMetricsRuntime.reliability.spec.ts, "bounds a stop by the recorder stop timeout".
 * - 0.3.0: `WorkerCrashedError.lostEvents` left out what the worker's recorder and receiver held:
 *   WorkerMetricsRuntime.reliability.spec.ts, "counts exactly what is lost when an overloaded worker is killed".
 * - 0.3.0: the port emitter failed a whole batch when one event could not be cloned, and `error(x)` threw
 *   for a null-prototype object: spec/metrics/bridge/PortEmitter.spec.ts, "posts the rest of a batch when
 *   some events cannot be cloned" and "error() never throws, whatever it is given".
 */
import { MessageChannel } from 'node:worker_threads';
import { counter, MetricsRecorder, mirrorSnapshots, postSnapshots, type MetricEvent } from 'mvx-common';
import { until } from '../helpers/wait.js';

describe('worker and bridge regressions', () => {
  it('0.3.0: snapshots read from a bridge mirror were mutable, so a reader could change what later reads see', async () => {
    // Class: spec/metrics/recorder/MetricsRecorder.safety.spec.ts, "snapshots are deeply frozen".
    const { port1, port2 } = new MessageChannel();
    const recorder = new MetricsRecorder('mirrored');
    recorder.registerMetric(counter({ name: 'c', on: 'e', by: ['k'] }));
    const posting = postSnapshots(recorder.snapshots$, port1);
    const mirror = mirrorSnapshots(port2);
    try {
      recorder.emit({ type: 'e', k: 'a' } as MetricEvent);
      await until(() => mirror.getMetricSnapshot('c')?.dimensions['total'] === 1, { what: 'the mirror' });
      const series = mirror.getMetricSnapshot('c')!.dimensions['series'] as { total: number }[];
      expect(() => {
        series[0]!.total = 99;
      }).toThrow(TypeError);
      expect(mirror.getMetricSnapshots()['c']!.dimensions['series']).toEqual([
        { labels: { k: 'a' }, total: 1 },
      ]);
    } finally {
      posting.unsubscribe();
      mirror.close();
      port1.close();
      port2.close();
      await recorder.dispose();
    }
  });
});
