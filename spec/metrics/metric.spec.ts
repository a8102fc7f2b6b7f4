import { defineMetric, METRIC_KINDS, type MetricEvent } from 'mvx-common';
// Internal on purpose: registration check and snapshot builder.
import { checkMetric } from '../../lib/metrics/metric.js';
import { buildSnapshot } from '../../lib/metrics/snapshots/buildSnapshot.js';

const valid = () => ({
  name: 'doc.saves',
  accepts: (e: MetricEvent): e is MetricEvent => e.type === 'doc.save',
  init: () => ({ total: 0 }),
  reduce: (s: { total: number }) => ({ total: s.total + 1 }),
  dimensions: (s: { total: number }) => ({ total: s.total }),
});

describe('defineMetric', () => {
  it('returns a frozen metric; kind defaults to custom', () => {
    const metric = defineMetric(valid());
    expect(Object.isFrozen(metric)).toBe(true);
    expect(metric.kind).toBe('custom');
    expect(metric.name).toBe('doc.saves');
    expect('description' in metric).toBe(false);
    expect('unit' in metric).toBe(false);
  });

  it('keeps kind, description and unit', () => {
    for (const kind of METRIC_KINDS) {
      const metric = defineMetric({ ...valid(), kind, description: 'Saves', unit: 'ms' });
      expect(metric).toMatchObject({ kind, description: 'Saves', unit: 'ms' });
    }
    expect(METRIC_KINDS).toEqual(['counter', 'gauge', 'histogram', 'summary', 'custom']);
  });

  it('does not depend on the definition object after the call', () => {
    const def = valid();
    const metric = defineMetric(def);
    def.name = 'changed';
    expect(metric.name).toBe('doc.saves');
  });

  it.each([null, 'x', 3, []])('rejects a non-object definition %p with a TypeError naming it', (def) => {
    expect(() => defineMetric(def as never)).toThrow(TypeError);
    expect(() => defineMetric(def as never)).toThrow('`definition`');
  });

  it.each([
    ['name', undefined, TypeError],
    ['name', 3, TypeError],
    ['name', '', RangeError],
    ['name', '   ', RangeError],
    ['kind', 'meter', RangeError],
    ['kind', 1, TypeError],
    ['description', 5, TypeError],
    ['unit', {}, TypeError],
    ['accepts', 'yes', TypeError],
    ['init', undefined, TypeError],
    ['reduce', null, TypeError],
    ['dimensions', 1, TypeError],
  ])('rejects %s = %p with a %p naming definition.%s', (field, value, type) => {
    const def = { ...valid(), [field]: value } as never;
    expect(() => defineMetric(def)).toThrow(type);
    expect(() => defineMetric(def)).toThrow(`\`definition.${field}\``);
  });
});

describe('checkMetric', () => {
  it('accepts a defined metric and returns it', () => {
    const metric = defineMetric(valid());
    expect(checkMetric('metric', metric)).toBe(metric);
  });

  it.each([
    [null, '`metric`'],
    [{ ...valid(), kind: 'custom', name: '' }, '`metric.name`'],
    [{ ...valid() }, '`metric.kind`'],
    [{ ...valid(), kind: 'custom', reduce: 1 }, '`metric.reduce`'],
  ])('refuses %p naming the field', (value, named) => {
    expect(() => checkMetric('metric', value)).toThrow(named);
  });
});

describe('buildSnapshot', () => {
  it('builds a frozen snapshot with optional fields only when present', () => {
    const snap = buildSnapshot(defineMetric({ ...valid(), unit: 'ms' }), { total: 2 });
    expect(snap).toEqual({ name: 'doc.saves', kind: 'custom', unit: 'ms', dimensions: { total: 2 } });
    expect(Object.isFrozen(snap)).toBe(true);
    expect('description' in snap).toBe(false);
  });
});
