import { SNAPSHOT_STREAM_EVENTS, type WireHello } from '../client/protocol.js';

// SSE encoding of the protocol's events (docs/dashboard.md). Every payload is one line of JSON
// (`JSON.stringify` never emits a raw line break), so each event is `event:` + one `data:` line.

/** One tick as written to the wire: a small header and the (possibly shared) body. @internal */
export interface TickFrame {
  readonly seq: number;
  readonly time: number;
  /** `id:`, `event: snapshot` and the start of the payload. */
  readonly header: Buffer;
  /** The rest of the payload and the blank line; shared between ticks that changed nothing. */
  readonly body: Buffer;
}

/** Builds the frame of tick `seq` around its encoded body. @internal */
export function tickFrame(stream: string, seq: number, time: number, bodyBuffer: Buffer): TickFrame {
  const header = Buffer.from(
    `id: ${stream}:${seq}\nevent: ${SNAPSHOT_STREAM_EVENTS.snapshot}\ndata: {"seq":${seq},"time":${time},`,
  );
  return { seq, time, header, body: bodyBuffer };
}

/** Encodes a tick body (the end of the payload plus the event's terminating blank line). @internal */
export function encodeBody(body: string): Buffer {
  return Buffer.from(`${body}\n\n`);
}

/** The `retry:` line and the `hello` event. @internal */
export function helloFrame(hello: WireHello, retryMs: number): Buffer {
  return Buffer.from(
    `retry: ${retryMs}\nevent: ${SNAPSHOT_STREAM_EVENTS.hello}\ndata: ${JSON.stringify(hello)}\n\n`,
  );
}

/** A `definitions` event. @internal */
export function definitionsFrame(payload: string): Buffer {
  return Buffer.from(`event: ${SNAPSHOT_STREAM_EVENTS.definitions}\ndata: ${payload}\n\n`);
}

/** A `heartbeat` event. @internal */
export function heartbeatFrame(time: number): Buffer {
  return Buffer.from(`event: ${SNAPSHOT_STREAM_EVENTS.heartbeat}\ndata: {"time":${time}}\n\n`);
}
