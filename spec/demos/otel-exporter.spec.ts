import { main } from '../../demos/otel-exporter.js';

describe('demos/otel-exporter', () => {
  it('scrapes the runtime and the process metrics through the OpenTelemetry Prometheus exporter', async () => {
    const { prometheus, otlp } = await main({ otlp: false }); // OTLP runs in exporters.spec (child process)
    expect(otlp).toBeUndefined();
    const text = prometheus.join('\n');
    expect(text).toMatch(/^checkout_orders_total\{region="eu",mvx_recorder="checkout"[^}]*\} 30$/m);
    expect(text).toMatch(/^checkout_orders_total\{region="us",mvx_recorder="checkout"[^}]*\} 10$/m);
    expect(text).toMatch(/^checkout_outcomes_total\{outcome="failure",mvx_recorder="checkout"[^}]*\} 4$/m);
    expect(text).toMatch(/^checkout_duration_count\{mvx_recorder="checkout"[^}]*\} 40$/m);
    expect(text).toMatch(/^process_cpu_time_total\{cpu_mode="user",mvx_recorder="process"[^}]*\} \d/m);
    expect(text).toMatch(/^mvx_recorder_dropped_total\{mvx_recorder="checkout"[^}]*\} 0$/m);
  });
});
