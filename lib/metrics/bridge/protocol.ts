import type { MetricSnapshots } from '../snapshot.js';

/** Tag of every bridge message, with the protocol version. */
export const BRIDGE_PROTOCOL = 'mvx.metrics/1';

/** A batch of events, posted by a {@link PortEmitter}. */
export interface EventBatchMessage {
  readonly mvx: typeof BRIDGE_PROTOCOL;
  readonly kind: 'events';
  /** The batch's events, in emission order (validated by the receiving recorder). */
  readonly events: readonly unknown[];
}

/** A recorder's snapshots, posted by {@link postSnapshots}. */
export interface SnapshotsMessage {
  readonly mvx: typeof BRIDGE_PROTOCOL;
  readonly kind: 'snapshots';
  readonly snapshots: MetricSnapshots;
}

/** Any bridge message. Other kinds may share a port (e.g. a worker host's control messages). */
export type BridgeMessage = EventBatchMessage | SnapshotsMessage;

/**
 * True when `data` is an envelope of the `mvx.metrics` message family (this bridge's, or a companion
 * protocol's such as a worker host's control messages sharing the port). @internal
 */
export function isEnvelope(data: unknown): data is { readonly mvx: string; readonly kind: unknown } {
  if (data === null || typeof data !== 'object') return false;
  const tag = (data as { mvx?: unknown }).mvx;
  return typeof tag === 'string' && tag.startsWith('mvx.metrics');
}
