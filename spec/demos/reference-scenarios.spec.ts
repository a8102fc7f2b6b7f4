import * as documentStorage from '../../demos/document-storage.js';
import * as manualLifecycle from '../../demos/manual-recorder-lifecycle.js';
import * as metricChangedHook from '../../demos/metric-changed-hook.js';
import * as customRecorder from '../../demos/custom-recorder.js';
import { DocumentStorage } from '../../demos/shared/documentStorage.js';

const METRIC = 'document_storage.save.attempts';
const progressive = [
  { total: 1, success_total: 1, failure_total: 0 },
  { total: 2, success_total: 2, failure_total: 0 },
  { total: 3, success_total: 2, failure_total: 1 },
];
const final = { total: 3, success_total: 2, failure_total: 1 };

describe('reference scenarios (demos/)', () => {
  describe('document storage', () => {
    it('works without a recorder and measures 3/2/1 with one, read right after the saves', async () => {
      const result = await documentStorage.main();
      expect(result.withoutMetrics).toBe(2);
      expect(Object.keys(result.snapshots)).toEqual([METRIC]);
      expect(result.snapshots[METRIC]).toEqual({
        name: METRIC,
        kind: 'counter',
        description: 'Document save attempts by outcome',
        dimensions: final,
      });
    });

    it('re-raises its own validation errors whatever the metrics do', () => {
      const storage = new DocumentStorage({
        emit: () => {
          throw new Error('a broken emitter');
        },
      });
      expect(() => storage.saveDocument('', 'x')).toThrow('a broken emitter');
      expect(() => new DocumentStorage().saveDocument('', 'x')).toThrow('documentId must not be empty');
      expect(() => new DocumentStorage().saveDocument('a', '')).toThrow('content must not be empty');
    });
  });

  describe('manual recorder lifecycle', () => {
    it('reports bad configuration naming the option', () => {
      expect(manualLifecycle.createMisconfiguredRecorder()).toBe(
        'recorder creation failed: Expected `options.capacity` to be a positive integer, got `0` (number)',
      );
    });

    it('returns 3/2/1 read after stop', async () => {
      const snapshots = await manualLifecycle.main();
      expect(snapshots[METRIC]?.dimensions).toEqual(final);
    });
  });

  describe('metric-changed hook', () => {
    it('observes three progressive changes and ignores the unknown event', async () => {
      const { snapshots, metricChanges } = await metricChangedHook.main();
      expect(metricChanges.map((c) => c.snapshot.dimensions)).toEqual(progressive);
      expect(metricChanges.every((c) => c.metricName === METRIC)).toBe(true);
      expect(metricChanges.every((c) => c.eventType === 'document_storage.save.attempt')).toBe(true);
      expect(snapshots[METRIC]?.dimensions).toEqual(final);
    });
  });

  describe('custom recorder', () => {
    it('opens and closes its publisher with the lifecycle and publishes progressive snapshots', async () => {
      const { publisherIsOpen, publishedRecords, snapshots } = await customRecorder.main();
      expect(publisherIsOpen).toBe(false);
      expect(publishedRecords.map((r) => r.entityId)).toEqual(Array(3).fill('document_storage'));
      expect(publishedRecords.map((r) => r.snapshot.dimensions)).toEqual(progressive);
      expect(snapshots[METRIC]?.dimensions).toEqual(final);
    });

    it('cannot publish while its publisher is closed', () => {
      const publisher = new customRecorder.InMemoryMetricChangePublisher();
      expect(() =>
        publisher.publish({
          entityId: 'x',
          metricName: 'm',
          eventType: 't',
          snapshot: { name: 'm', kind: 'custom', dimensions: {} },
        }),
      ).toThrow('publisher is not open');
    });
  });
});
