import { main } from '../../demos/worker-failure.js';

describe('demos/worker-failure', () => {
  it('settles the flush, reports the hang with what was lost, keeps the last snapshots readable', async () => {
    const r = await main();
    expect(r.code).toBe('WORKER_UNRESPONSIVE');
    expect(r.lostEvents).toEqual({ jobs: 101 });
    expect(r.state).toBe('failure');
    expect(r.lastMirrored).toEqual({ total: 1000, success_total: 900, failure_total: 100, other_total: 0 });
    expect(r.closed).toBe('closed');
  });
});
