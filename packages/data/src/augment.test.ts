import { createRng } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { wrnAugment } from './augment';

const H = 6;
const W = 6;
const C = 2;
const PAD = 2;

/** An image with distinct values, so that every crop/flip candidate is distinguishable. */
function image(seed: number): Float32Array {
  return Float32Array.from({ length: H * W * C }, (_, i) => 1 + seed * 1000 + i);
}

/**
 * The augmentation spelled out the slow way: build the padded image as nested arrays (reflection
 * by its definition, the border pixel not repeated), cut the crop, then mirror it.
 */
function reference(img: Float32Array, oy: number, ox: number, mirrored: boolean, fill: 'reflect' | 'zero'): number[] {
  const rows: number[][][] = [];
  for (let i = 0; i < H; i++) rows.push(Array.from({ length: W }, (_, j) => Array.from(img.subarray((i * W + j) * C, (i * W + j + 1) * C))));
  const zero = () => new Array<number>(C).fill(0);
  const padRow = (row: number[][]) =>
    fill === 'zero'
      ? [...Array.from({ length: PAD }, zero), ...row, ...Array.from({ length: PAD }, zero)]
      : [...row.slice(1, PAD + 1).reverse(), ...row, ...row.slice(W - 1 - PAD, W - 1).reverse()];
  const inner = rows.map(padRow);
  const zeroRow = () => Array.from({ length: W + 2 * PAD }, zero);
  const padded =
    fill === 'zero'
      ? [...Array.from({ length: PAD }, zeroRow), ...inner, ...Array.from({ length: PAD }, zeroRow)]
      : [...inner.slice(1, PAD + 1).reverse(), ...inner, ...inner.slice(H - 1 - PAD, H - 1).reverse()];
  const crop = padded.slice(PAD + oy, PAD + oy + H).map((row) => row.slice(PAD + ox, PAD + ox + W));
  return (mirrored ? crop.map((row) => [...row].reverse()) : crop).flat(2);
}

/**
 * Every candidate outcome as a map from output position to source position (−1: zero fill),
 * found by running the reference on an image whose values are their own positions.
 */
function candidates(fill: 'reflect' | 'zero'): Map<string, number[]> {
  const positions = Float32Array.from({ length: H * W * C }, (_, i) => i + 1);
  const out = new Map<string, number[]>();
  for (let oy = -PAD; oy <= PAD; oy++) {
    for (let ox = -PAD; ox <= PAD; ox++) {
      for (const m of [false, true]) out.set(`${oy},${ox},${m}`, reference(positions, oy, ox, m, fill).map((v) => v - 1));
    }
  }
  return out;
}

/** Which (oy, ox, mirrored) produced `out` from `img`. */
function identify(img: Float32Array, out: Float32Array, maps: Map<string, number[]>): string | undefined {
  for (const [key, map] of maps) if (map.every((src, i) => out[i] === (src < 0 ? 0 : img[src]))) return key;
  return undefined;
}

describe('wrnAugment', () => {
  for (const fill of ['reflect', 'zero'] as const) {
    it(`${fill}: every example is one pad–crop–flip of itself, offsets and flips uniform`, () => {
      const batch = 1000;
      const x = new Float32Array(batch * H * W * C);
      for (let e = 0; e < batch; e++) x.set(image(e), e * H * W * C);
      wrnAugment({ pad: PAD, fill })(x, [batch, H, W, C], createRng(7));
      const counts = new Map<string, number>();
      const maps = candidates(fill);
      for (let e = 0; e < batch; e++) {
        const which = identify(image(e), x.subarray(e * H * W * C, (e + 1) * H * W * C), maps);
        expect(which).toBeDefined();
        counts.set(which!, (counts.get(which!) ?? 0) + 1);
      }
      // 5 × 5 offsets × 2 flips = 50 outcomes, 20 expected each (sd ≈ 4.4); all seen, none above 5 sd.
      expect(counts.size).toBe(50);
      for (const c of counts.values()) expect(c).toBeLessThan(20 + 5 * 4.4);
    });
  }

  it('is fixed by the rng, and pad 0 without flip is the identity', () => {
    const x = image(3);
    const a = x.slice();
    const b = x.slice();
    wrnAugment()(a, [1, H, W, C], createRng(1));
    wrnAugment()(b, [1, H, W, C], createRng(1));
    expect(a).toEqual(b);
    const same = x.slice();
    wrnAugment({ pad: 0, flip: false })(same, [1, H, W, C], createRng(1));
    expect(same).toEqual(x);
  });

  it('rejects a batch that is not [batch, height, width, channels]', () => {
    expect(() => wrnAugment()(new Float32Array(10), [10], createRng(0))).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() => wrnAugment()(new Float32Array(10), [1, 2, 5, 1], createRng(0))).toThrow(/reflection padding of 4/);
  });
});
