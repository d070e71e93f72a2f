import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { BatchSampler } from './sampler';

describe('BatchSampler', () => {
  it('visits every example once per epoch when shuffling, and drops the partial batch', () => {
    const sampler = new BatchSampler(10, 3, 'shuffled-epochs', createRng(0));
    const epoch0 = [sampler.next(), sampler.next(), sampler.next()];
    expect(epoch0.map((d) => d.endsEpoch)).toEqual([false, false, true]);
    const seen = epoch0.flatMap((d) => Array.from(d.indices));
    expect(new Set(seen).size).toBe(9);
    const next = sampler.next();
    expect(next.epoch).toBe(1);
  });

  it('draws uniformly with replacement (each index about equally often)', () => {
    const n = 20;
    const sampler = new BatchSampler(n, 10, 'with-replacement', createRng(1));
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < 2000; i++) for (const k of sampler.next().indices) counts[k]!++;
    // 20,000 draws over 20 bins: expected 1,000 each, standard deviation ≈ 31; allow 5σ.
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(155);
  });

  it('rejects a batch larger than the data set', () => {
    expect(() => new BatchSampler(5, 6, 'shuffled-epochs', createRng(0))).toThrow(expect.objectContaining({ field: 'batchSize' }));
  });
});
