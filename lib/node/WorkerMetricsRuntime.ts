import { setOwn } from '../internal/ownProperty.js';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { Subject, type Observable } from 'rxjs';
import { setRealTimeout } from '../internal/timers.js';
import type { MetricEvent } from '../metrics/event.js';
import { RecorderStopError } from '../metrics/errors/runtimeErrors.js';
import { DEFAULT_START_TIMEOUT_MS, DEFAULT_STOP_TIMEOUT_MS } from '../metrics/recorder/recorderOptions.js';
import { loggedRuntime } from '../metrics/runtime/runtimeLogging.js';
import { normalizeRecorderId } from '../metrics/runtime/runtimeOptions.js';
import { RuntimeBase, type RecorderKind } from '../metrics/runtime/RuntimeBase.js';
import { shutdownRecorders } from '../metrics/runtime/shutdownRecorders.js';
import { WorkerCrashedError, WorkerUnresponsiveError, type LostEvents } from './errors.js';
import { launchWorker } from './launchWorker.js';
import type { HostRequest, WorkerRecorderOptions } from './protocol.js';
import { RemoteRecorderImpl, type HostedRemoteRecorder, type RemoteRecorder } from './RemoteRecorder.js';
import { readWorkerRecorderOptions } from './workerRecorderOptions.js';
import { RequestChannel } from './RequestChannel.js';
import {
  ANSWER_MARGIN_MS,
  resolveWorkerRuntimeOptions,
  type ResolvedWorkerRuntimeOptions,
  type WorkerRuntimeOptions,
} from './workerRuntimeOptions.js';

/** {@link WorkerMetricsRuntime} hands out `RemoteRecorder` facades. */
export interface RemoteRecorderKind extends RecorderKind {
  /** The facade type for `this['event']`. */
  readonly recorder: RemoteRecorder<this['event']>;
}

/**
 * A runtime whose recorders live in a worker thread: heavy aggregation never runs on the main event
 * loop. The main thread gets {@link RemoteRecorder} facades whose `emit` batches to the worker and whose
 * snapshots mirror back. Same states and operations as `MetricsRuntime`.
 *
 * `stopRecorder` posts the facade's unsent batch, then stops the hosted recorder behind it on the same
 * channel (so every event emitted before is seen first; it stays registered); `stopAndRemoveRecorder`
 * does the same, removes the hosted recorder and closes and returns the facade. `shutdown()` stops every
 * recorder that way, in parallel within `shutdownTimeoutMs`, shuts the hosted runtime down and terminates
 * the worker.
 *
 * Nothing waits forever: every call that needs the worker is bounded by `requestTimeoutMs`, and a
 * heartbeat checks the worker every half of it. A worker that crashes or exits is reported as
 * `WorkerCrashedError`, one that stops answering (its event loop blocked) is terminated and reported as
 * `WorkerUnresponsiveError`, both on `errors$` with the events lost per recorder; the runtime moves to
 * `failure`, every pending call settles (`flush()` resolves, stops reject with `RecorderStopError`), and
 * `shutdown()` still releases everything. Memory is bounded too: `maxInFlightEvents` per facade on their
 * way to the worker, and the recorder's capacity waiting in the worker (see `receiveEvents`).
 *
 * ## Example
 * ```ts
 * import { WorkerMetricsRuntime } from 'mvx-common/node';
 *
 * // job-metrics.js exports createMetrics(recorderId): the metrics, built inside the worker (see WorkerMetricsModule).
 * const runtime = new WorkerMetricsRuntime({
 *   namespace: 'jobs',
 *   metricsModule: new URL('./job-metrics.js', import.meta.url),
 * });
 * await runtime.start();
 * const jobs = await runtime.createRecorder('jobs');
 * jobs.emit({ type: 'job.done', outcome: 'success' }); // batched over to the worker
 * await jobs.flush(); // the worker processed it, and its snapshots came back
 * console.log(jobs.getMetricSnapshot('jobs.done')?.dimensions);
 * await runtime.shutdown();
 * ```
 */
export class WorkerMetricsRuntime extends RuntimeBase<RemoteRecorderKind, HostedRemoteRecorder> {
  /** The worker's crashes and hangs: `WorkerCrashedError`, `WorkerUnresponsiveError` (hot). */
  readonly errors$: Observable<Error>;

  private readonly options: ResolvedWorkerRuntimeOptions;
  private readonly errors = new Subject<Error>();
  private readonly requests = new RequestChannel((operation, timeoutMs) =>
    this.lose((lost) => new WorkerUnresponsiveError(operation, timeoutMs, lost)),
  );
  private worker: Worker | undefined;
  private stopHeartbeat: (() => void) | undefined;

  /** @param options - see {@link WorkerRuntimeOptions}; a bad option throws a TypeError/RangeError naming it. */
  constructor(options: WorkerRuntimeOptions) {
    const resolved = resolveWorkerRuntimeOptions(options);
    super(resolved.config.namespace, resolved.logContext);
    this.options = resolved;
    this.errors$ = this.errors.asObservable();
  }

  /**
   * Creates a recorder in the worker (with the module's metrics registered) and returns its facade.
   * Rejects with a TypeError/RangeError naming a bad option (an unknown key included).
   */
  @loggedRuntime.createRecorder
  async createRecorder<E extends MetricEvent = MetricEvent>(
    recorderId: string,
    options: WorkerRecorderOptions = {},
  ): Promise<RemoteRecorder<E>> {
    const id = normalizeRecorderId(recorderId);
    const checked = readWorkerRecorderOptions('options', options, true);
    this.requireRunning('create a recorder');
    const defaults = this.options.config.recorderDefaults;
    const startTimeoutMs = checked.startTimeoutMs ?? defaults.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const stopTimeoutMs = checked.stopTimeoutMs ?? defaults.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    const { requestTimeoutMs } = this.options;
    const { port1, port2 } = new MessageChannel();
    try {
      const value = (await this.request(
        { op: 'create', recorderId: id, options: checked },
        Math.max(requestTimeoutMs, startTimeoutMs + ANSWER_MARGIN_MS),
        `creation of recorder '${id}'`,
        port2,
      )) as { entityId: string; namespace: string };
      const facade = new RemoteRecorderImpl<E>(
        id,
        value.entityId,
        value.namespace,
        port1,
        this.options.batching,
        {
          requests: this.requests,
          requestTimeoutMs,
          maxInFlightEvents: this.options.maxInFlightEvents,
          // a stop may wait behind a flush on its channel (at most half requestTimeoutMs), then drains
          stopRequestTimeoutMs: Math.max(
            requestTimeoutMs,
            requestTimeoutMs / 2 + stopTimeoutMs + ANSWER_MARGIN_MS,
          ),
        },
      );
      this.register(id, facade as unknown as HostedRemoteRecorder);
      return facade;
    } catch (error) {
      port1.close();
      throw error;
    }
  }

  // ---------------------------------------------------------------- hooks

  /** Launches the worker and waits until it has loaded the metrics module. A failed start terminates it. */
  protected override async startHost(): Promise<void> {
    this.worker = await launchWorker(this.options, {
      onResponse: (id, ok, value, error) => this.requests.settle(id, ok, value, error),
      onGone: (exitCode, cause) =>
        this.lose(
          (lost) => new WorkerCrashedError(exitCode, lost, cause === undefined ? undefined : { cause }),
        ),
    });
    this.beat();
  }

  protected override async stopHosted(recorderId: string, facade: HostedRemoteRecorder): Promise<void> {
    await facade.stop().catch((error: unknown) => {
      throw stopError(recorderId, error);
    });
  }

  protected override async removeHosted(recorderId: string, facade: HostedRemoteRecorder): Promise<void> {
    await facade.stopAndRemove().catch((error: unknown) => {
      throw stopError(recorderId, error);
    });
  }

  protected override releaseHosted(facade: HostedRemoteRecorder): void {
    facade.close();
  }

  protected override async stopAll(
    entries: ReadonlyArray<readonly [string, HostedRemoteRecorder]>,
    wasRunning: boolean,
  ): Promise<void> {
    if (!wasRunning || !this.worker) return;
    // Each recorder stops behind its own events, in parallel, within shutdownTimeoutMs. On a failure the
    // hosted runtime is not waited for: releaseHost terminates the worker.
    await shutdownRecorders(entries, this.options.config.shutdownTimeoutMs, (id, facade) =>
      this.stopHosted(id, facade),
    );
    if (this.worker) {
      await this.request({ op: 'shutdown' }, this.options.requestTimeoutMs, 'shutdown').catch(
        () => undefined,
      );
    }
  }

  protected override async releaseHost(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.stopHeartbeat?.();
    this.stopHeartbeat = undefined;
    this.requests.rejectAll(this.invalid(['running'], 'complete the request'));
    if (worker) await worker.terminate().catch(() => undefined);
  }

  protected override onClosed(): void {
    this.errors.complete();
  }

  // ---------------------------------------------------------------- internals

  private request(
    request: HostRequest,
    timeoutMs: number,
    operation: string,
    port?: MessagePort,
  ): Promise<unknown> {
    const worker = this.worker;
    if (!worker) return Promise.reject(this.invalid(['running'], 'send a request'));
    return this.requests.send(worker, request, { timeoutMs, operation, ...(port ? { port } : {}) });
  }

  /** Pings the worker every half `requestTimeoutMs` (one ping at a time); an unanswered ping is a hang. */
  private beat(): void {
    const period = this.options.requestTimeoutMs / 2;
    let pinging = false;
    const tick = (): void => {
      if (!this.worker) return;
      if (!pinging) {
        pinging = true;
        const done = (): void => {
          pinging = false;
        };
        this.request({ op: 'ping' }, this.options.requestTimeoutMs, 'heartbeat').then(done, done);
      }
      this.stopHeartbeat = setRealTimeout(tick, period);
    };
    this.stopHeartbeat = setRealTimeout(tick, period);
  }

  /**
   * The worker is gone (crashed, exited) or hung: terminate it, count what each facade lost, close the
   * facades (mirrored snapshots stay readable; later emits are dropped and counted), settle every
   * request, move to `failure` (unless shutting down) and report `error` on `errors$`.
   */
  private lose(makeError: (lost: LostEvents) => Error): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    this.stopHeartbeat?.();
    this.stopHeartbeat = undefined;
    const lost: Record<string, number> = {};
    for (const [id, facade] of this.recorders) setOwn(lost, id, facade.lostEvents());
    const error = makeError(Object.freeze(lost));
    for (const facade of this.recorders.values()) facade.close(error);
    this.requests.rejectAll(error);
    void worker.terminate().catch(() => undefined);
    if (this.getStatus() === 'running') this.setState('failure');
    this.errors.next(error);
  }
}

/** A failed stop as the runtime reports it: `RecorderStopError` (the worker's, or wrapping the cause). */
function stopError(recorderId: string, error: unknown): Error {
  return error instanceof RecorderStopError ? error : new RecorderStopError(recorderId, { cause: error });
}
