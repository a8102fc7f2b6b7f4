import type { EventSourceLike, MessageEventLike } from 'mvx-common';

/** A scriptable EventSource: tests create connections' events by hand. */
export class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];

  static reset(): void {
    FakeEventSource.instances = [];
  }

  static get last(): FakeEventSource {
    const last = FakeEventSource.instances[FakeEventSource.instances.length - 1];
    if (last === undefined) throw new Error('no EventSource was created');
    return last;
  }

  closed = false;
  private readonly listeners = new Map<string, Set<(event: MessageEventLike) => void>>();

  constructor(
    readonly url: string,
    readonly init?: { withCredentials?: boolean },
  ) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEventLike) => void): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: (event: MessageEventLike) => void): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.closed = true;
  }

  listenerCount(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  /** Dispatches an event with `data` (objects are sent as JSON). */
  emit(type: string, data?: unknown): void {
    const event = { data: typeof data === 'string' || data === undefined ? data : JSON.stringify(data) };
    for (const l of [...(this.listeners.get(type) ?? [])]) l(event);
  }

  hello(overrides: Record<string, unknown> = {}): void {
    this.emit('hello', {
      protocol: 'mvx.dashboard/1',
      stream: 'abc123',
      intervalMs: 1000,
      heartbeatMs: 15000,
      history: 300,
      resumed: false,
      latest: 0,
      time: 0,
      ...overrides,
    });
  }

  fail(): void {
    this.emit('error');
  }
}
