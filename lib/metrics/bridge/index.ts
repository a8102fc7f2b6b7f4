/**
 * The structural-channel bridge: events and snapshots across worker threads and Web Workers over a
 * `MessagePort`-like channel. Browser-safe (no Node imports).
 */
export type { MessagePortLike } from './MessagePortLike.js';
export { BRIDGE_PROTOCOL } from './protocol.js';
export type { BridgeMessage, EventBatchMessage, SnapshotsMessage } from './protocol.js';
export { createPortEmitter, DEFAULT_MAX_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL_MS } from './PortEmitter.js';
export type { PortEmitter, PortEmitterOptions, PortEmitterStats } from './PortEmitter.js';
export { receiveEvents } from './receiveEvents.js';
export type { EventReceiver, EventReceiverStats, ReceiveEventsOptions } from './receiveEvents.js';
export { postSnapshots, mirrorSnapshots } from './mirrorSnapshots.js';
export type { SnapshotMirror } from './mirrorSnapshots.js';
