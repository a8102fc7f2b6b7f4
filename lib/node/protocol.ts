import type { RecorderOptions, RecorderState, RecorderStats } from '../metrics/recorder/types.js';

/** Tag of the worker host's control messages. @internal */
export const HOST_PROTOCOL = 'mvx.metrics.host/1';

/** Structured-clone friendly per-recorder options of a worker-hosted runtime. */
export type WorkerRecorderOptions = Omit<RecorderOptions, 'scheduler' | 'logContext'> & {
  /**
   * The recorder's entity id.
   * @default the (trimmed) recorder id
   */
  entityId?: string;
};

/** What the worker receives as `workerData.mvx`. @internal */
export interface HostConfig {
  readonly namespace: string;
  readonly metricsModule: string;
  readonly recorderDefaults: Omit<WorkerRecorderOptions, 'entityId'>;
  readonly shutdownTimeoutMs: number;
}

/** A control request from the main thread. @internal */
export type HostRequest =
  | { readonly op: 'create'; readonly recorderId: string; readonly options: WorkerRecorderOptions }
  | { readonly op: 'stop'; readonly recorderId: string }
  | { readonly op: 'stopAndRemove'; readonly recorderId: string }
  | { readonly op: 'shutdown' };

/** A serialized error (structured clone drops class identity). @internal */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly props: { readonly [key: string]: unknown };
}

/** Messages on the worker's control channel. @internal */
export type HostMessage =
  | { readonly mvx: typeof HOST_PROTOCOL; readonly kind: 'ready' }
  | { readonly mvx: typeof HOST_PROTOCOL; readonly kind: 'startup-failed'; readonly error: WireError }
  | {
      readonly mvx: typeof HOST_PROTOCOL;
      readonly kind: 'request';
      readonly id: number;
      readonly request: HostRequest;
    }
  | {
      readonly mvx: typeof HOST_PROTOCOL;
      readonly kind: 'response';
      readonly id: number;
      readonly ok: boolean;
      readonly value?: { readonly entityId: string; readonly namespace: string };
      readonly error?: WireError;
    };

/** Messages on a recorder's own channel, besides the bridge's events and snapshots. @internal */
export type RecorderChannelMessage =
  | { readonly mvx: typeof HOST_PROTOCOL; readonly kind: 'flush'; readonly token: number }
  | { readonly mvx: typeof HOST_PROTOCOL; readonly kind: 'flushed'; readonly token: number }
  | {
      readonly mvx: typeof HOST_PROTOCOL;
      readonly kind: 'stats';
      readonly stats: RecorderStats;
      readonly state: RecorderState;
      readonly startTime: number | undefined;
    };

/** True when `data` is a host control message. @internal */
export function isHostMessage(data: unknown): data is HostMessage | RecorderChannelMessage {
  return data !== null && typeof data === 'object' && (data as { mvx?: unknown }).mvx === HOST_PROTOCOL;
}
