import { counter, gauge, histogram, MetricsRecorder, type MetricEvent } from '../../index.js';

/** The events the page reports about itself. */
export type PageEvent =
  | { readonly type: 'page.frame'; readonly ms: number; readonly charts: number }
  | { readonly type: 'page.update'; readonly lagMs: number; readonly replayed: boolean }
  | { readonly type: 'page.connection'; readonly state: string };

/** The recorder id the page's own metrics appear under. */
export const PAGE_RECORDER_ID = 'dashboard.page';

/**
 * The page's own `MetricsRecorder`: the library's core running in the browser, measuring the page
 * (render time per frame, update lag from the server tick to its arrival, updates and connection
 * changes). The dashboard shows it as one more recorder.
 */
export function createPageRecorder(): MetricsRecorder<PageEvent> {
  const recorder = new MetricsRecorder<PageEvent>(PAGE_RECORDER_ID, { namespace: 'browser' });
  const isFrame = (e: MetricEvent): e is Extract<PageEvent, { type: 'page.frame' }> =>
    e.type === 'page.frame';
  const isUpdate = (e: MetricEvent): e is Extract<PageEvent, { type: 'page.update' }> =>
    e.type === 'page.update';
  const isConnection = (e: MetricEvent): e is Extract<PageEvent, { type: 'page.connection' }> =>
    e.type === 'page.connection';
  recorder.registerMetric(
    histogram({
      name: 'page.frame.ms',
      on: isFrame,
      value: 'ms',
      unit: 'ms',
      buckets: [0.5, 1, 2, 4, 8, 16, 33, 50, 100, 250],
      description: 'Time to render one frame of the dashboard (headlines and visible charts)',
    }),
  );
  recorder.registerMetric(
    histogram({
      name: 'page.update.lag.ms',
      on: (e: MetricEvent): e is Extract<PageEvent, { type: 'page.update' }> => isUpdate(e) && !e.replayed,
      value: 'lagMs',
      unit: 'ms',
      buckets: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      description: 'From the server tick to its arrival in this page (clock skew included)',
    }),
  );
  recorder.registerMetric(
    counter({
      name: 'page.updates',
      on: isUpdate,
      by: ['replayed'],
      description: 'Snapshot updates received',
    }),
  );
  recorder.registerMetric(
    gauge({
      name: 'page.charts.drawn',
      on: isFrame,
      value: 'charts',
      description: 'Charts drawn in the last frame',
    }),
  );
  recorder.registerMetric(
    counter({
      name: 'page.connection.changes',
      on: isConnection,
      by: ['state'],
      description: 'Connection state changes',
    }),
  );
  return recorder;
}
