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
  /** The main thread's bound on every request: the worker answers a flush within half of it. */
  readonly requestTimeoutMs: number;
}

/** A request on the worker's control channel. @internal */
export type HostRequest =
  | { readonly op: 'create'; readonly recorderId: string; readonly options: WorkerRecorderOptions }
  | { readonly op: 'shutdown' }
  | { readonly op: 'ping' };

/**
 * A request on a recorder's own channel: it travels behind the events posted before it, so the worker
 * sees every one of them first. @internal
 */
export type RecorderRequest =
  { readonly op: 'flush' } | { readonly op: 'stop' } | { readonly op: 'stopAndRemove' };

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
  | {
      readonly mvx: typeof HOST_PROTOCOL;
      readonly kind: 'request';
      readonly id: number;
      readonly request: RecorderRequest;
    }
  | {
      readonly mvx: typeof HOST_PROTOCOL;
      readonly kind: 'response';
      readonly id: number;
      readonly ok: boolean;
      readonly error?: WireError;
    }
  | {
      readonly mvx: typeof HOST_PROTOCOL;
      readonly kind: 'stats';
      readonly stats: RecorderStats;
      readonly state: RecorderState;
      readonly startTime: number | undefined;
      /** Events the worker's receiver got on this channel. */
      readonly received: number;
      /** Of those, events waiting in the receiver for room in the recorder. */
      readonly queued: number;
    };

/** True when `data` carries the host protocol's tag. */
function isTagged(data: unknown): boolean {
  try {
    return data !== null && typeof data === 'object' && (data as { mvx?: unknown }).mvx === HOST_PROTOCOL;
  } catch {
    return false; // an unreadable message (a revoked proxy) is not ours
  }
}

/** True when `data` is a message of the worker's control channel. @internal */
export function isHostMessage(data: unknown): data is HostMessage {
  return isTagged(data);
}

/** True when `data` is a host message on a recorder's channel. @internal */
export function isChannelMessage(data: unknown): data is RecorderChannelMessage {
  return isTagged(data);
}
