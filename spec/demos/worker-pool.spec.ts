import { main } from '../../demos/worker-pool.js';

describe('demos/worker-pool', () => {
  it('aggregates every event of a pool of worker threads in one main-thread recorder', async () => {
    const { dimensions, perReceiver, stats } = await main(3, 500);
    expect(dimensions).toEqual({ total: 1500, success_total: 1350, failure_total: 150 });
    expect(perReceiver).toEqual([500, 500, 500]);
    expect(stats).toMatchObject({ offered: 1500, processed: 1500, rejected: 0, dropped: 0 });
  });
});
