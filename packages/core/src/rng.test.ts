import { describe, expect, it } from 'vitest';
import { createRng, restoreRng } from './rng';

describe('seeded RNG', () => {
  it('repeats for a seed, differs across seeds and forks', () => {
    const draw = (seed: number | string) => Array.from({ length: 5 }, createRng(seed).uniform.bind(createRng(seed)));
    const a = createRng(1);
    const b = createRng(1);
    expect([a.uniform(), a.normal(), a.int(10)]).toEqual([b.uniform(), b.normal(), b.int(10)]);
    expect(createRng(1).uniform()).not.toBe(createRng(2).uniform());
    expect(createRng(1).fork('w').uniform()).not.toBe(createRng(1).fork('b').uniform());
    expect(draw(3)).toHaveLength(5);
  });

  it('draws standard normals with mean 0 and variance 1 (within 4 standard errors)', () => {
    const rng = createRng('normal');
    const n = 200_000;
    const xs = new Float64Array(n);
    rng.fillNormal(xs);
    const mean = xs.reduce((s, v) => s + v, 0) / n;
    const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    // Standard error of the mean is 1/√n; of the variance √(2/n).
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it('restores a saved state to continue the same stream', () => {
    const rng = createRng(9);
    rng.normal();
    const saved = rng.state();
    const next = [rng.uniform(), rng.normal(), rng.normal()];
    const resumed = restoreRng(JSON.parse(JSON.stringify(saved)));
    expect([resumed.uniform(), resumed.normal(), resumed.normal()]).toEqual(next);
  });

  it('gives permutations and distinct samples', () => {
    const rng = createRng(4);
    const p = Array.from(rng.permutation(100)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const s = rng.sampleWithoutReplacement(1000, 50);
    expect(new Set(s).size).toBe(50);
    expect(Math.max(...s)).toBeLessThan(1000);
  });
});
