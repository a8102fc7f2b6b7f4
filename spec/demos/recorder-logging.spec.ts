import { main } from '../../demos/recorder-logging.js';

describe('demo: recorder logging with the normal preset', () => {
  it('logs lifecycle operations and the dispatch error, never the events', async () => {
    const lines = await main(() => undefined);
    const records = lines.map(
      (line) =>
        JSON.parse(line) as { event: string; outcome: string | null; entityId: string; level: string },
    );
    expect(records.map((r) => `${r.event}:${r.outcome}`)).toEqual([
      'metrics_recorder.start:invoke',
      'metrics_recorder.start:success',
      'metrics_recorder.register_metric:invoke',
      'metrics_recorder.register_metric:success',
      'metrics_recorder.register_metric:invoke',
      'metrics_recorder.register_metric:success',
      'metrics_recorder.dispatch_error:null',
      'metrics_recorder.dispatch_error:null',
      'metrics_recorder.stop:invoke',
      'metrics_recorder.stop:success',
    ]);
    expect(records.every((r) => r.entityId === 'document_storage')).toBe(true);
    expect(records.filter((r) => r.level === 'error').map((r) => r.event)).toEqual([
      'metrics_recorder.dispatch_error',
      'metrics_recorder.dispatch_error',
    ]);
  });
});
