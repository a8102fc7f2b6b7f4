import { main } from '../../demos/worker-hosted-runtime.js';

describe('demos/worker-hosted-runtime', () => {
  it('aggregates in the worker and mirrors the snapshot back', async () => {
    const { dimensions, stats } = await main(2_000);
    expect(dimensions).toEqual({ count: 2000, mean: 24.5, max: 49 });
    expect(stats).toMatchObject({ offered: 2000, processed: 2000 });
  });
});
