import seedrandom from 'seedrandom';

/**
 * Seeded randomness for everything overparam samples: initial weights, minibatches, metric
 * subsets. Generated on the JS side so that the same seed gives the same numbers on every backend.
 *
 * The generator is seedrandom's Alea (a maintained, well-tested PRNG whose state can be saved and
 * restored, which resumable runs need). Independent streams come from `fork(label)`: the child is
 * seeded by the parent's seed and the label, so adding a metric never shifts the minibatches.
 */
export interface RngState {
  readonly seed: string;
  readonly alea: object;
  readonly spareNormal: number | null;
}

export interface Rng {
  readonly seed: string;
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1) (Box–Muller). */
  normal(): number;
  /** Uniform integer on [0, n). */
  int(n: number): number;
  /** A new, independent stream determined by this stream's seed and `label`. */
  fork(label: string | number): Rng;
  /** Fills `out` with N(mean, std²) draws. */
  fillNormal(out: Float32Array | Float64Array, std?: number, mean?: number): void;
  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array;
  /** `k` distinct integers from [0, n), in random order. */
  sampleWithoutReplacement(n: number, k: number): Int32Array;
  state(): RngState;
}

interface AleaPrng {
  double(): number;
  state(): object;
}
// The published typings disagree between versions on Alea's state type; this is the part we use.
const alea = (seedrandom as unknown as { alea(seed: string, options: { state: true | object }): AleaPrng }).alea;

class AleaRng implements Rng {
  private spare: number | null;
  private constructor(
    readonly seed: string,
    private readonly prng: AleaPrng,
    spare: number | null,
  ) {
    this.spare = spare;
  }

  static create(seed: string | number): AleaRng {
    const s = String(seed);
    return new AleaRng(s, alea(s, { state: true }), null);
  }

  static restore(state: RngState): AleaRng {
    const prng = alea('', { state: state.alea });
    return new AleaRng(state.seed, prng, state.spareNormal);
  }

  uniform(): number {
    return this.prng.double();
  }

  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.prng.double();
    const v = this.prng.double();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  int(n: number): number {
    return Math.floor(this.prng.double() * n);
  }

  fork(label: string | number): Rng {
    return AleaRng.create(`${this.seed}/${label}`);
  }

  fillNormal(out: Float32Array | Float64Array, std = 1, mean = 0): void {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
  }

  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (k > n) throw new RangeError(`cannot draw ${k} distinct items from ${n}`);
    if (k * 4 > n) return this.permutation(n).slice(0, k);
    const chosen = new Set<number>();
    const out = new Int32Array(k);
    let filled = 0;
    while (filled < k) {
      const i = this.int(n);
      if (!chosen.has(i)) {
        chosen.add(i);
        out[filled++] = i;
      }
    }
    return out;
  }

  state(): RngState {
    return { seed: this.seed, alea: this.prng.state(), spareNormal: this.spare };
  }
}

export function createRng(seed: string | number): Rng {
  return AleaRng.create(seed);
}

export function restoreRng(state: RngState): Rng {
  return AleaRng.restore(state);
}
