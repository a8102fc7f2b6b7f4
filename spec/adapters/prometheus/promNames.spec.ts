import fc from 'fast-check';
// Internal on purpose: Prometheus name and unit mapping.
import { familyName, labelName, scaled, unitMapping } from '../../../lib/adapters/prometheus/promNames.js';

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

describe('Prometheus names', () => {
  it.each([
    ['document_storage.save.attempts', 'counter', undefined, 'document_storage_save_attempts_total'],
    ['requests_total', 'counter', undefined, 'requests_total'],
    ['HTTPRequests', 'counter', undefined, 'http_requests_total'],
    ['userLoginCount', 'gauge', undefined, 'user_login_count_value'],
    ['save.ms', 'histogram', 'ms', 'save_seconds'],
    ['save.ms.q', 'summary', 'ms', 'save_q_seconds'],
    ['latency.seconds', 'histogram', 's', 'latency_seconds'],
    ['bytes.written', 'counter', 'bytes', 'bytes_written_total'],
    ['payload', 'gauge', 'KiB', 'payload_bytes'],
    ['throughput', 'gauge', 'By/s', 'throughput_bytes_per_second'],
    ['temp', 'gauge', 'celsius', 'temp_celsius'],
    ['ratio', 'gauge', '1', 'ratio'],
    ['jobs', 'gauge', '{jobs}', 'jobs'],
    ['cpu', 'gauge', '%', 'cpu_percent'],
    ['queue.total', 'gauge', undefined, 'queue_total_value'],
    ['requests.counter', 'counter', undefined, 'requests_total'],
    ['gauge.counter', 'counter', 'ms', 'gauge_seconds_total'],
    ['5xx.errors', 'counter', undefined, '_5xx_errors_total'],
    ['!!!', 'gauge', undefined, 'value'],
    ['constructor', 'gauge', undefined, 'constructor_value'],
    ['a..b', 'gauge', undefined, 'a_b'],
  ] as const)('%s (%s, unit %s) → %s', (name, type, unit, expected) => {
    expect(familyName('', name, type, unitMapping(unit))).toBe(expected);
  });

  it('prefixes as given', () => {
    expect(familyName('myapp_', 'jobs', 'counter', unitMapping(undefined))).toBe('myapp_jobs_total');
    expect(familyName('myapp_', '5xx', 'gauge', unitMapping(undefined))).toBe('myapp_5xx');
  });

  it('label names', () => {
    expect(labelName('userId')).toBe('user_id');
    expect(labelName('__proto__')).toBe('proto');
    expect(labelName('9lives')).toBe('_9lives');
    expect(labelName('')).toBe('label');
    expect(labelName('a-b.c')).toBe('a_b_c');
  });

  it('unit values: ms and us divide exactly, per-time units scale to one second', () => {
    expect(scaled(unitMapping('ms'), 12)).toBe(0.012);
    expect(scaled(unitMapping('ms'), 2.5)).toBe(0.0025);
    expect(scaled(unitMapping('us'), 1500)).toBe(0.0015);
    expect(scaled(unitMapping('min'), 2)).toBe(120);
    expect(scaled(unitMapping('By/ms'), 3)).toBe(3000);
    expect(scaled(unitMapping('KiB'), 2)).toBe(2048);
    expect(scaled(unitMapping('widgets'), 7)).toBe(7);
  });

  it('property: any name gives a valid name of the right shape; label names are valid and not `__`-reserved', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.constantFrom('counter', 'gauge', 'histogram', 'summary'),
        fc.constantFrom(undefined, 'ms', 's', 'bytes', '1', '%', 'By/s', 'x y z', '{a}', 'µs'),
        (name, type, unit) => {
          const n = familyName('', name, type, unitMapping(unit));
          expect(n).toMatch(METRIC_NAME);
          expect(n in Object.prototype).toBe(false);
          if (type === 'counter') expect(n.endsWith('_total')).toBe(true);
          else
            expect(/_(total|bucket)$/.test(n) || (type === 'gauge' && /_(count|sum)$/.test(n))).toBe(false);
          const l = labelName(name);
          expect(l).toMatch(METRIC_NAME);
          expect(l.startsWith('__')).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
