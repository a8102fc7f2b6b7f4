/**
 * The domain shared by the reference scenarios: a document storage component that reports save
 * attempts as events, and the metric that counts them. The component works with or without metrics.
 */
import { defineMetric, noopEmitter, type MetricEmitter, type MetricEvent } from 'mvx-common';

export type SaveOutcome = 'success' | 'failure';

/** The fact: "a document save was attempted, with this outcome". */
export interface SaveAttempt extends MetricEvent {
  readonly type: 'document_storage.save.attempt';
  readonly outcome: SaveOutcome;
}

export const SAVE_ATTEMPT = 'document_storage.save.attempt';

export interface SaveAttemptsDimensions {
  readonly [k: string]: number;
  readonly total: number;
  readonly success_total: number;
  readonly failure_total: number;
}

/** The aggregate: how many saves were attempted, and how many succeeded or failed. */
export const saveAttempts = defineMetric({
  name: 'document_storage.save.attempts',
  kind: 'counter',
  description: 'Document save attempts by outcome',
  accepts: (event: MetricEvent): event is SaveAttempt => event.type === SAVE_ATTEMPT,
  init: (): SaveAttemptsDimensions => ({ total: 0, success_total: 0, failure_total: 0 }),
  reduce: (state, event) => ({
    total: state.total + 1,
    success_total: state.success_total + (event.outcome === 'success' ? 1 : 0),
    failure_total: state.failure_total + (event.outcome === 'failure' ? 1 : 0),
  }),
  dimensions: (state) => state,
});

/** An event the metric ignores. */
export interface UnknownEvent extends MetricEvent {
  readonly type: 'unknown.event';
}

/**
 * A production component: it reports what happened and never cares how it is measured. Without an
 * emitter it runs with metrics disabled.
 */
export class DocumentStorage {
  private readonly documents = new Map<string, string>();

  constructor(private readonly metrics: MetricEmitter<SaveAttempt> = noopEmitter) {}

  saveDocument(documentId: string, content: string): void {
    try {
      if (documentId === '') throw new RangeError('documentId must not be empty');
      if (content === '') throw new RangeError('content must not be empty');
      this.documents.set(documentId, content);
    } catch (error) {
      this.metrics.emit({ type: SAVE_ATTEMPT, outcome: 'failure' });
      throw error;
    }
    this.metrics.emit({ type: SAVE_ATTEMPT, outcome: 'success' });
  }

  get size(): number {
    return this.documents.size;
  }
}
