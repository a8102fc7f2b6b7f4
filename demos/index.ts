/**
 * `npm run demo`: runs every scenario and prints what it shows.
 */
import * as documentStorage from './document-storage';
import * as manualLifecycle from './manual-recorder-lifecycle';
import * as metricChangedHook from './metric-changed-hook';
import * as customRecorder from './custom-recorder';
import * as metricKinds from './metric-kinds';
import * as workerPool from './worker-pool';
import * as workerHostedRuntime from './worker-hosted-runtime';
import * as recorderLogging from './recorder-logging';
import * as otelExporter from './otel-exporter';
import * as workerFailure from './worker-failure';
import * as prometheusExporter from './prometheus-exporter';

const METRIC = 'document_storage.save.attempts';

function dims(value: unknown): string {
  return JSON.stringify(value);
}

async function run(): Promise<void> {
  console.log('# 1. document storage, with and without a recorder');
  const first = await documentStorage.main();
  console.log(`without metrics: ${first.withoutMetrics} documents saved, nothing measured`);
  console.log(`with metrics:    ${dims(first.snapshots[METRIC]?.dimensions)}`);

  console.log('\n# 2. manual recorder lifecycle');
  console.log(manualLifecycle.createMisconfiguredRecorder());
  console.log(`snapshot after stop: ${dims((await manualLifecycle.main())[METRIC]?.dimensions)}`);

  console.log('\n# 3. metric-changed hook');
  const third = await metricChangedHook.main();
  for (const change of third.metricChanges) console.log(`change: ${dims(change.snapshot.dimensions)}`);
  console.log(`final: ${dims(third.snapshots[METRIC]?.dimensions)}`);

  console.log('\n# 4. custom recorder with a publisher');
  const fourth = await customRecorder.main();
  console.log(`publisher open after stop: ${fourth.publisherIsOpen}`);
  for (const r of fourth.publishedRecords)
    console.log(`published: ${r.entityId} ${dims(r.snapshot.dimensions)}`);
  console.log(`final: ${dims(fourth.snapshots[METRIC]?.dimensions)}`);

  console.log('\n# 5. every built-in metric kind on one event stream, merged across two workers');
  for (const [name, value] of Object.entries(metricKinds.main())) console.log(`${name}: ${dims(value)}`);

  console.log('\n# 6. a pool of worker threads emitting into one recorder on the main thread');
  const pool = await workerPool.main();
  console.log(`jobs.done: ${dims(pool.dimensions)}`);
  console.log(`receivers: ${pool.perReceiver.length} x ${pool.perReceiver[0]} events`);

  console.log('\n# 7. a runtime hosting its recorders in a worker thread');
  const hosted = await workerHostedRuntime.main();
  console.log(`http.request.latency: ${dims(hosted.dimensions)}`);
  console.log(`recorder stats: offered ${hosted.stats.offered}, processed ${hosted.stats.processed}`);

  console.log('\n# 8. the recorder logging through MVX Logger (normal preset, console JSON sink)');
  await recorderLogging.main();

  console.log(
    '\n# 9. a runtime and the Node process metrics through OpenTelemetry (Prometheus exporter, OTLP)',
  );
  const otel = await otelExporter.main();
  for (const l of otel.prometheus.filter((x) => x.startsWith('checkout_orders'))) console.log(l);
  console.log(
    `OTLP export: ${otel.otlp!.names.length} metrics; checkout.orders ${otel.otlp!.orders.join(' | ')}`,
  );

  console.log('\n# 10. a worker-hosted runtime whose worker hangs: bounded calls, lost events counted');
  const hung = await workerFailure.main();
  console.log(
    `error: ${hung.code}, lost events: ${dims(hung.lostEvents)}, runtime: ${hung.state} then ${hung.closed}`,
  );

  console.log('\n# 11. a service exposing its metrics to Prometheus (GET /metrics, scraped twice)');
  const exported = await prometheusExporter.main();
  exported.scrapes.forEach((body, i) => {
    const lines = body.split('\n').filter((l) => l.startsWith('document_storage_save_attempts_total'));
    console.log(`scrape ${i + 1}: ${lines.join('  ')}`);
  });
}

run().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
