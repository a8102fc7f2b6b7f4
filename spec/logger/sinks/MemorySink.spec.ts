import { LogContext, MemorySink } from 'mvx-common/logger';
import { sampleEvent } from './helpers.js';

describe('MemorySink', () => {
  it('stores events, returns copies, and clears', () => {
    const sink = new MemorySink();
    const e = sampleEvent();
    sink.log(e);
    const snapshot = sink.events;
    expect(snapshot).toEqual([e]);
    sink.clear();
    expect(sink.events).toEqual([]);
    expect(snapshot).toHaveLength(1);
  });

  it('filters by fields or predicate, and gives a trail', () => {
    const sink = new MemorySink();
    const ctx = LogContext.root({ namespace: 'app', sink });
    ctx.info('a', {}, { entityId: 'x', outcome: 'invoke' });
    ctx.error('b', {}, { outcome: 'failed' });
    ctx.child('c').debug('a');
    expect(sink.filter({ eventName: 'a' })).toHaveLength(2);
    expect(sink.filter({ eventName: 'a', namespace: 'app.c' })).toHaveLength(1);
    expect(sink.filter({ outcome: 'failed', level: 'error' })).toHaveLength(1);
    expect(sink.filter({ entityId: 'x' })).toHaveLength(1);
    expect(sink.filter({ entityId: null })).toHaveLength(2);
    expect(sink.filter((e) => e.level === 'debug')).toHaveLength(1);
    expect(sink.trail()).toEqual([
      ['a', 'invoke'],
      ['b', 'failed'],
      ['a', null],
    ]);
  });

  it('drops the oldest events beyond capacity', () => {
    const sink = new MemorySink({ capacity: 2 });
    sink.log(sampleEvent('debug'));
    sink.log(sampleEvent('info'));
    sink.log(sampleEvent('error'));
    expect(sink.events.map((e) => e.level)).toEqual(['info', 'error']);
    expect(() => new MemorySink({ capacity: 0 })).toThrow(/`options\.capacity`/);
    expect(() => new MemorySink({ size: 3 } as never)).toThrow(/Unknown option "size" in `options`/);
  });
});
