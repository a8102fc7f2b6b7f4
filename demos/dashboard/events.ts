/**
 * The facts the demo's components report. The document API and the load generator only emit these
 * plain objects; what is aggregated from them is decided in ./metrics.ts, inside the metrics worker.
 */
export type Operation = 'save' | 'read' | 'delete';

/** The HTTP layer: one per response, when it finished. */
export interface HttpRequestEvent {
  readonly type: 'http.request';
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  readonly bytesOut: number;
}

/** The HTTP layer: a request started (+1) or finished (-1). */
export interface HttpInflightEvent {
  readonly type: 'http.inflight';
  readonly delta: 1 | -1;
}

export type HttpEvent = HttpRequestEvent | HttpInflightEvent;

/** The document store. */
export type StorageEvent =
  | {
      readonly type: 'document.save';
      readonly outcome: 'success' | 'failure';
      readonly bytes: number;
      readonly durationMs: number;
    }
  | {
      readonly type: 'document.read';
      readonly outcome: 'hit' | 'miss' | 'failure';
      readonly durationMs: number;
    }
  | {
      readonly type: 'document.delete';
      readonly outcome: 'success' | 'miss' | 'failure';
      readonly durationMs: number;
    }
  | { readonly type: 'storage.size'; readonly documents: number; readonly bytes: number };

/** The load generator (the API's client). */
export type LoadEvent =
  | {
      readonly type: 'loadgen.request';
      readonly op: Operation;
      readonly outcome: 'success' | 'failure' | 'error';
      readonly durationMs: number;
    }
  | { readonly type: 'loadgen.target'; readonly rps: number }
  | {
      readonly type: 'loadgen.phase';
      readonly phase: Phase;
      readonly errorRate: number;
      readonly latencyFactor: number;
    };

/** What the scenario is doing to the API right now. */
export type Phase = 'steady' | 'error burst' | 'latency spike';
