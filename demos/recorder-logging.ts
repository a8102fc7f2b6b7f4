/**
 * A recorder that logs its operations through MVX Logger: the `normal` preset on a console JSON sink.
 * The per-event path (emit) is never logged; a failing metric is logged as a `dispatch_error`.
 *
 * Run: npx ts-node demos/recorder-logging.ts
 *
 * Expected output (one JSON line per log event; time values differ):
 *   {"time":...,"level":"info","ns":"demo.metrics","event":"metrics_recorder.start","outcome":"invoke","entityId":"document_storage",...}
 *   ... start success, register_metric invoke/success, dispatch_error, stop invoke/success
 */
import {
  ConsoleJsonSink,
  defineMetric,
  LogContext,
  MetricsRecorder,
  recorderLogPolicy,
  type MetricEvent,
} from 'mvx-common';
import { saveAttempts, SAVE_ATTEMPT, type SaveAttempt } from './shared/documentStorage';

const fragile = defineMetric({
  name: 'document_storage.fragile',
  accepts: (e: MetricEvent): e is SaveAttempt => e.type === SAVE_ATTEMPT,
  init: () => 0,
  reduce: (): number => {
    throw new Error('this metric always fails');
  },
  dimensions: (n) => ({ n }),
});

/** Runs the scenario, writing log lines to `write`; returns the lines. */
export async function main(write: (line: string) => void = (line) => console.log(line)): Promise<string[]> {
  const lines: string[] = [];
  const sink = new ConsoleJsonSink({
    minLevel: 'debug',
    write: (line) => {
      lines.push(line);
      write(line);
    },
  });
  const logContext = LogContext.root({
    namespace: 'demo.metrics',
    sink,
    eventPolicy: recorderLogPolicy('normal'),
  });

  const recorder = new MetricsRecorder<SaveAttempt>('document_storage', { logContext });
  await recorder.start();
  recorder.registerMetric(saveAttempts);
  recorder.registerMetric(fragile);
  recorder.emit({ type: SAVE_ATTEMPT, outcome: 'success' }); // not logged: the hot path
  recorder.emit({ type: SAVE_ATTEMPT, outcome: 'failure' });
  recorder.getMetricSnapshots(); // not logged in 'normal' mode (only in 'inspection')
  await recorder.stop();
  return lines;
}

if (require.main === module) void main();
