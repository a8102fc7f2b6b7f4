import { PatternLogEventPolicy, createLogEventMeta } from 'mvx-common/logger';

const meta = (eventName: string, namespace: string | null = 'app', entityId: string | null = null) =>
  createLogEventMeta({ eventName, namespace, entityId, source: { path: 'lib/a.ts', func: 'save' } });

describe('PatternLogEventPolicy', () => {
  it('enables everything by default', () => {
    expect(new PatternLogEventPolicy().isEventEnabled(meta('x'))).toBe(true);
  });

  it('uses defaultEnabled when no rule matches', () => {
    const p = new PatternLogEventPolicy({
      defaultEnabled: false,
      rules: [{ action: 'allow', eventNames: ['a.*'] }],
    });
    expect(p.isEventEnabled(meta('b.x'))).toBe(false);
    expect(p.isEventEnabled(meta('a.x'))).toBe(true);
  });

  it('lets the first matching rule win', () => {
    const p = new PatternLogEventPolicy({
      rules: [
        { action: 'allow', eventNames: ['store.save'] },
        { action: 'deny', eventNames: ['store.*'] },
      ],
    });
    expect(p.isEventEnabled(meta('store.save'))).toBe(true);
    expect(p.isEventEnabled(meta('store.load'))).toBe(false);
  });

  it('matches `events` against namespace + "." + name, or the name alone on an empty namespace', () => {
    const p = new PatternLogEventPolicy({
      defaultEnabled: false,
      rules: [{ action: 'allow', events: ['app.job.*'] }],
    });
    expect(p.isEventEnabled(meta('job.run', 'app'))).toBe(true);
    expect(p.isEventEnabled(meta('job.run', 'other'))).toBe(false);
    const bare = new PatternLogEventPolicy({
      defaultEnabled: false,
      rules: [{ action: 'allow', events: ['job.*'] }],
    });
    expect(bare.isEventEnabled(meta('job.run', ''))).toBe(true);
    expect(bare.isEventEnabled(meta('job.run', null))).toBe(true);
  });

  it('ANDs groups, ORs patterns, and never matches null values', () => {
    const p = new PatternLogEventPolicy({
      defaultEnabled: true,
      rules: [{ action: 'deny', namespaces: ['app', 'svc'], entityIds: ['rec-*'] }],
    });
    expect(p.isEventEnabled(meta('x', 'svc', 'rec-1'))).toBe(false);
    expect(p.isEventEnabled(meta('x', 'svc', 'other'))).toBe(true);
    expect(p.isEventEnabled(meta('x', 'svc', null))).toBe(true);
    expect(p.isEventEnabled(meta('x', null, 'rec-1'))).toBe(true);
  });

  it('matches source paths and functions', () => {
    const p = new PatternLogEventPolicy({
      rules: [{ action: 'deny', sourcePaths: ['lib/*'], sourceFuncs: ['save'] }],
    });
    expect(p.isEventEnabled(meta('x'))).toBe(false);
    expect(p.isEventEnabled(createLogEventMeta({ eventName: 'x' }))).toBe(true);
  });

  describe('fromObject / fromMapping', () => {
    it('builds from plain JSON', () => {
      const p = PatternLogEventPolicy.fromObject(
        JSON.parse('{"defaultEnabled":false,"rules":[{"action":"allow","eventNames":["a.*"]}]}'),
      );
      expect(p.defaultEnabled).toBe(false);
      expect(p.rules).toEqual([{ action: 'allow', eventNames: ['a.*'] }]);
      expect(p.isEventEnabled(meta('a.b'))).toBe(true);
      expect(PatternLogEventPolicy.fromMapping({}).defaultEnabled).toBe(true);
    });

    it('is immune to later mutation of the input', () => {
      const names = ['a.*'];
      const p = PatternLogEventPolicy.fromObject({
        defaultEnabled: false,
        rules: [{ action: 'allow', eventNames: names }],
      });
      names[0] = 'zzz';
      expect(p.isEventEnabled(meta('a.b'))).toBe(true);
    });

    it.each([
      [null, /Expected `config` to be an object, got `null`/],
      [{ defaultEnabled: 'yes' }, /Expected `defaultEnabled` to be a boolean, got `"yes"` \(string\)/],
      [{ rules: {} }, /Expected `rules` to be an array/],
      [{ rules: [3] }, /Expected `rules\[0\]` to be an object/],
      [
        { rules: [{ action: 'permit' }] },
        /Expected `rules\[0\]\.action` to be 'allow' or 'deny', got `"permit"`/,
      ],
      [
        { rules: [{ action: 'allow', eventNames: 'a.*' }] },
        /Expected `rules\[0\]\.eventNames` to be an array of glob strings/,
      ],
      [
        { rules: [{ action: 'allow', namespaces: ['ok', 7] }] },
        /Expected `rules\[0\]\.namespaces\[1\]` to be a glob string, got `7`/,
      ],
      [
        { rules: [{ action: 'allow', evnts: ['x'] }] },
        /Unknown option "evnts" in `rules\[0\]`; accepted options: `action`, `events`/,
      ],
      [{ default_enabled: true }, /Unknown option "default_enabled" in `config`/],
      [JSON.parse('{"__proto__": {"defaultEnabled": false}}'), /Unknown option "__proto__" in `config`/],
    ])('refuses %j with a TypeError naming the field', (input, message) => {
      expect(() => PatternLogEventPolicy.fromObject(input)).toThrow(TypeError);
      expect(() => PatternLogEventPolicy.fromObject(input)).toThrow(message);
    });
  });
});
