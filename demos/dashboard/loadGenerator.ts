/**
 * A load generator: real HTTP requests to the document API at the scenario's varying rate, over a
 * keep-alive agent, reporting what it saw as events.
 */
import { Agent, request } from 'node:http';
import { noopEmitter, type MetricEmitter } from 'mvx-common';
import type { LoadEvent, Operation } from './events';
import { scenarioAt, type ScenarioState } from './scenario';
import type { Chaos } from './documentApi';

const TICK_MS = 50;
const MAX_IN_FLIGHT = 256;
const IDS = 400;
const CONTENT = Array.from({ length: 4096 }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26)))
  .join('')
  .repeat(16);

export interface LoadGeneratorOptions {
  /** Base rate (requests per second); the scenario varies around it. */
  readonly rate: number;
  /** The scenario drives the API's chaos too. */
  readonly chaos: Chaos;
  readonly metrics?: MetricEmitter<LoadEvent>;
}

export class LoadGenerator {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly url: URL;
  private timer: NodeJS.Timeout | undefined;
  private started = 0;
  private carry = 0;
  private inFlight = 0;
  private idle: (() => void) | undefined;
  private last: ScenarioState | undefined;
  private reportedRps = -1;
  /** Requests sent and requests skipped because too many were in flight. */
  sent = 0;
  shed = 0;

  constructor(
    apiUrl: string,
    private readonly options: LoadGeneratorOptions,
  ) {
    this.url = new URL(apiUrl);
  }

  start(): void {
    this.started = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  /** Stops sending and waits (up to 5 s) for the requests in flight. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        this.idle = resolve;
        setTimeout(resolve, 5_000).unref();
      });
    }
    this.agent.destroy();
  }

  private get metrics(): MetricEmitter<LoadEvent> {
    return this.options.metrics ?? noopEmitter;
  }

  private tick(): void {
    const state = scenarioAt(Date.now() - this.started, this.options.rate);
    const { chaos } = this.options;
    chaos.errorRate = state.errorRate;
    chaos.latencyFactor = state.latencyFactor;
    const rps = Math.round(state.rps * 10) / 10;
    if (Math.abs(rps - this.reportedRps) >= 0.5) {
      this.reportedRps = rps;
      this.metrics.emit({ type: 'loadgen.target', rps });
    }
    if (this.last?.phase !== state.phase) {
      this.metrics.emit({
        type: 'loadgen.phase',
        phase: state.phase,
        errorRate: state.errorRate,
        latencyFactor: state.latencyFactor,
      });
    }
    this.last = state;
    const due = (state.rps * TICK_MS) / 1000 + this.carry;
    let n = Math.floor(due);
    this.carry = due - n;
    while (n-- > 0) {
      if (this.inFlight >= MAX_IN_FLIGHT) {
        this.shed++;
        continue;
      }
      this.send();
    }
  }

  private send(): void {
    const r = Math.random();
    const op: Operation = r < 0.5 ? 'read' : r < 0.85 ? 'save' : 'delete';
    const id = `doc-${Math.floor(Math.random() * IDS)}`;
    const body =
      op === 'save'
        ? CONTENT.slice(0, Math.min(CONTENT.length, Math.ceil(2048 * Math.exp(0.9 * gaussian()))))
        : undefined;
    const started = performance.now();
    this.inFlight++;
    this.sent++;
    let finished = false;
    const done = (outcome: 'success' | 'failure' | 'error') => {
      if (finished) return;
      finished = true;
      this.inFlight--;
      this.metrics.emit({ type: 'loadgen.request', op, outcome, durationMs: performance.now() - started });
      if (this.inFlight === 0) this.idle?.();
    };
    const req = request(
      {
        host: this.url.hostname,
        port: this.url.port,
        path: `/documents/${id}`,
        method: op === 'save' ? 'PUT' : op === 'read' ? 'GET' : 'DELETE',
        agent: this.agent,
        headers:
          body === undefined
            ? {}
            : { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          done(status < 400 || status === 404 ? 'success' : 'failure');
        });
        res.on('error', () => done('error'));
      },
    );
    req.on('error', () => done('error'));
    req.end(body);
  }
}

function gaussian(): number {
  const u = Math.max(1e-9, Math.random());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}
