import { MessageChannel, type MessagePort } from 'node:worker_threads';
import {
  MetricsRecorder,
  BRIDGE_PROTOCOL,
  createPortEmitter,
  mirrorSnapshots,
  postSnapshots,
  receiveEvents,
  type MessagePortLike,
} from 'mvx-common';
import { saveAttempts, type SaveAttempt } from '../../helpers/runtimeFixtures.js';
import { until } from '../../helpers/wait.js';

// Compile-time: Node ports and browser ports fit the structural channel.
const nodePortFits = (port: MessagePort): MessagePortLike => port;
const browserPortFits = (port: globalThis.MessagePort): MessagePortLike => port;
const workerFits = (worker: globalThis.Worker): MessagePortLike => worker;
void [nodePortFits, browserPortFits, workerFits];

describe('port bridge', () => {
  let channel: MessageChannel;
  beforeEach(() => {
    channel = new MessageChannel();
  });
  afterEach(() => {
    channel.port1.close();
    channel.port2.close();
  });

  it('delivers batched events into a recorder, counted in its stats, in order', async () => {
    const recorder = new MetricsRecorder<SaveAttempt>('bridge');
    recorder.registerMetric(saveAttempts);
    const receiver = receiveEvents(channel.port2, recorder);
    const emitter = createPortEmitter<SaveAttempt>(channel.port1, { maxBatchSize: 4 });
    for (let i = 0; i < 10; i++) {
      emitter.emit({ type: 'document_storage.save.attempt', outcome: i % 5 === 0 ? 'failure' : 'success' });
    }
    emitter.close();
    await until(() => receiver.getStats().events === 10);
    await recorder.flush();
    expect(receiver.getStats()).toEqual({ messages: 3, batches: 3, events: 10, queued: 0, malformed: 0 });
    expect(recorder.getStats()).toMatchObject({ offered: 10, accepted: 10, processed: 10, rejected: 0 });
    expect(recorder.getMetricSnapshot('document_storage.save.attempts')!.dimensions).toEqual({
      total: 10,
      success_total: 8,
      failure_total: 2,
    });
    receiver.close();
    await recorder.dispose();
  });

  it('counts malformed messages as rejected and keeps receiving', async () => {
    const recorder = new MetricsRecorder('bridge');
    const receiver = receiveEvents(channel.port2, recorder);
    const errors: Error[] = [];
    receiver.errors$.subscribe((err) => errors.push(err));
    channel.port1.postMessage('garbage');
    channel.port1.postMessage({ type: 'raw-event-without-envelope' });
    channel.port1.postMessage({ mvx: BRIDGE_PROTOCOL, kind: 'events', events: 'nope' });
    channel.port1.postMessage({
      mvx: BRIDGE_PROTOCOL,
      kind: 'events',
      events: [{ type: 'ok' }, { nope: 1 }],
    });
    channel.port1.postMessage({ mvx: BRIDGE_PROTOCOL, kind: 'snapshots', snapshots: {} }); // not ours: ignored
    channel.port1.postMessage({ mvx: 'mvx.metrics.host/1', kind: 'flush' }); // companion protocol: ignored
    await until(() => receiver.getStats().messages === 6);
    expect(receiver.getStats()).toEqual({ messages: 6, batches: 1, events: 2, queued: 0, malformed: 3 });
    expect(errors).toHaveLength(3);
    expect(errors[0]).toBeInstanceOf(TypeError);
    await recorder.flush();
    // 3 malformed messages + 1 invalid event rejected; 1 valid event processed.
    expect(recorder.getStats()).toMatchObject({ offered: 5, rejected: 4, processed: 1 });
    receiver.close();
    receiver.close();
    await recorder.dispose();
  });

  it('never crashes on a target whose emit throws', async () => {
    const receiver = receiveEvents(channel.port2, {
      emit: () => {
        throw new Error('strict target');
      },
    });
    channel.port1.postMessage({ mvx: BRIDGE_PROTOCOL, kind: 'events', events: [{ type: 'a' }] });
    channel.port1.postMessage(42);
    await until(() => receiver.getStats().messages === 2);
    expect(receiver.getStats()).toMatchObject({ events: 1, malformed: 1 });
    receiver.close();
  });

  it('rejects a bad port or target with a TypeError naming it', () => {
    expect(() => receiveEvents({} as never, { emit: () => undefined })).toThrow(/`port`/);
    expect(() => receiveEvents(channel.port2, null as never)).toThrow(/`target`/);
    expect(() => mirrorSnapshots(undefined as never)).toThrow(/`port`/);
  });

  it('mirrors a recorder snapshots$ across the port: observable plus synchronous getter', async () => {
    const recorder = new MetricsRecorder<SaveAttempt>('mirrored');
    recorder.registerMetric(saveAttempts);
    const posting = postSnapshots(recorder.snapshots$, channel.port1);
    const mirror = mirrorSnapshots(channel.port2);
    const seen: unknown[] = [];
    mirror.snapshots$.subscribe((s) => seen.push(s));
    expect(mirror.getMetricSnapshots()).toEqual({});

    recorder.emit({ type: 'document_storage.save.attempt', outcome: 'success' });
    await recorder.flush();
    await until(() => mirror.getMetricSnapshot('document_storage.save.attempts')?.dimensions['total'] === 1);
    expect(mirror.getMetricSnapshots()).toEqual(recorder.getMetricSnapshots());
    expect(seen.length).toBeGreaterThanOrEqual(2);

    posting.unsubscribe();
    mirror.close();
    await recorder.dispose();
  });
});
