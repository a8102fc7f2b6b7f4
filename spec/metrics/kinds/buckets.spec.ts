import { exponentialBuckets, linearBuckets } from 'mvx-common';
// Internal on purpose: bucketIndex, the histograms' bucket search.
import { bucketIndex } from '../../../lib/metrics/kinds/buckets.js';

describe('buckets', () => {
  it('linearBuckets', () => {
    expect(linearBuckets(10, 10, 5)).toEqual([10, 20, 30, 40, 50]);
    expect(() => linearBuckets(0, 0, 2)).toThrow(/`width`/);
    expect(() => linearBuckets(0, 1, 0)).toThrow(/`count`/);
  });

  it('exponentialBuckets', () => {
    expect(exponentialBuckets(1, 2, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(() => exponentialBuckets(1, 1, 3)).toThrow(RangeError);
    expect(() => exponentialBuckets(0, 2, 3)).toThrow(/`start`/);
  });

  it('bucketIndex finds the first bound >= v', () => {
    const b = [1, 5, 10];
    expect([0, 1, 2, 5, 6, 10, 11].map((v) => bucketIndex(b, v))).toEqual([0, 0, 1, 1, 2, 2, 3]);
  });
});
