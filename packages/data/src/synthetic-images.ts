import { createRng, type Dataset, type Rng, type Split } from '@overparam/core';

/**
 * A CIFAR-shaped stand-in (32×32×3, 10 classes) for machines without CIFAR: learnable, but not by
 * a template match alone. Each class owns a prototype, a random mix of low-frequency 2-D cosine
 * waves per colour channel (unit RMS). An example is its class prototype, circularly shifted by up
 * to `maxShift` pixels in each direction and scaled by a random contrast in [0.5, 1.5], plus a
 * class-independent "clutter" pattern from the same low-frequency family and white noise.
 * With the defaults a nearest-class-mean (linear) classifier reaches about two-thirds test accuracy. Shifts
 * move the phase of every wave, so a linear classifier on pixels gets only part of the way; a
 * convolutional network, which is built for translations, can do better. It is not CIFAR: the
 * papers' CIFAR numbers do not transfer to it, only the code paths and the shapes do.
 */
export interface SyntheticImagesOptions {
  readonly n?: number;
  readonly validationN?: number;
  readonly testN?: number;
  /** Largest shift, in pixels, of the prototype (each direction). */
  readonly maxShift?: number;
  /** Standard deviation of the class-independent clutter pattern. */
  readonly clutter?: number;
  /** Standard deviation of the white pixel noise (uniformly distributed). */
  readonly noise?: number;
  readonly seed: number;
}

const SIDE = 32;
const CHANNELS = 3;
const CLASSES = 10;
const SIZE = SIDE * SIDE * CHANNELS;
/** Spatial frequencies 0..3 cycles per image in each direction: "low frequency". */
const MAX_FREQ = 3;
const WAVES_PER_PATTERN = 6;

/** cos and sin of 2π(u·i + v·j)/32 for every low frequency (u, v) ≠ 0, computed once per process. */
let waveTables: { cos: Float64Array; sin: Float64Array }[] | null = null;

function tables(): { cos: Float64Array; sin: Float64Array }[] {
  if (waveTables !== null) return waveTables;
  waveTables = [];
  for (let u = 0; u <= MAX_FREQ; u++) {
    for (let v = -MAX_FREQ; v <= MAX_FREQ; v++) {
      if (u === 0 && v <= 0) continue; // (0, −v) is (0, v) mirrored: same waves
      const cos = new Float64Array(SIDE * SIDE);
      const sin = new Float64Array(SIDE * SIDE);
      for (let i = 0; i < SIDE; i++) {
        for (let j = 0; j < SIDE; j++) {
          const angle = (2 * Math.PI * (u * i + v * j)) / SIDE;
          cos[i * SIDE + j] = Math.cos(angle);
          sin[i * SIDE + j] = Math.sin(angle);
        }
      }
      waveTables.push({ cos, sin });
    }
  }
  return waveTables;
}

/**
 * A random sum of low-frequency cosine waves, each with its own colour mix; unit RMS. Uses
 * cos(θ + φ) = cos θ cos φ − sin θ sin φ on precomputed tables: one pattern per example is drawn
 * for the clutter, and calling Math.cos per pixel made generation several times slower.
 */
function lowFrequencyPattern(rng: Rng, out: Float64Array): Float64Array {
  const bank = tables();
  out.fill(0);
  for (let m = 0; m < WAVES_PER_PATTERN; m++) {
    const { cos, sin } = bank[rng.int(bank.length)]!;
    const phase = 2 * Math.PI * rng.uniform();
    const a = Math.cos(phase);
    const b = -Math.sin(phase);
    const c0 = rng.normal();
    const c1 = rng.normal();
    const c2 = rng.normal();
    for (let p = 0; p < SIDE * SIDE; p++) {
      const wave = a * cos[p]! + b * sin[p]!;
      out[3 * p]! += c0 * wave;
      out[3 * p + 1]! += c1 * wave;
      out[3 * p + 2]! += c2 * wave;
    }
  }
  let sq = 0;
  for (let p = 0; p < SIZE; p++) sq += out[p]! * out[p]!;
  const scale = 1 / Math.sqrt(sq / SIZE);
  for (let p = 0; p < SIZE; p++) out[p]! *= scale;
  return out;
}

export function syntheticImages(options: SyntheticImagesOptions): Dataset {
  const { n = 5000, validationN = 1000, testN = 1000, maxShift = 6, clutter = 1, noise = 1, seed } = options;
  // Uniform on [−√3, √3]·noise has standard deviation `noise`, at a third of the cost of Gaussian draws.
  const halfWidth = Math.sqrt(3) * noise;
  const rng = createRng(seed);
  const protoRng = rng.fork('prototypes');
  const prototypes = Array.from({ length: CLASSES }, () => lowFrequencyPattern(protoRng, new Float64Array(SIZE)));

  const split = (count: number, label: string): Split => {
    const stream = rng.fork(label);
    const x = new Float32Array(count * SIZE);
    const y = new Int32Array(count);
    const nuisance = new Float64Array(SIZE);
    for (let e = 0; e < count; e++) {
      // Classes in turn, so every prefix of a split is balanced, like the real sets' splits.
      const k = e % CLASSES;
      y[e] = k;
      const proto = prototypes[k]!;
      const dy = stream.int(2 * maxShift + 1) - maxShift;
      const dx = stream.int(2 * maxShift + 1) - maxShift;
      const contrast = 0.5 + stream.uniform();
      lowFrequencyPattern(stream, nuisance);
      const base = e * SIZE;
      for (let i = 0; i < SIDE; i++) {
        const si = (i + dy + SIDE) % SIDE;
        for (let j = 0; j < SIDE; j++) {
          const sj = (j + dx + SIDE) % SIDE;
          for (let c = 0; c < CHANNELS; c++) {
            const p = (i * SIDE + j) * CHANNELS + c;
            x[base + p] = contrast * proto[(si * SIDE + sj) * CHANNELS + c]! + clutter * nuisance[p]! + halfWidth * (2 * stream.uniform() - 1);
          }
        }
      }
    }
    return { x, y, n: count };
  };

  return {
    name: 'synthetic-images',
    inputShape: [SIDE, SIDE, CHANNELS],
    task: 'classification',
    numClasses: CLASSES,
    train: split(n, 'train'),
    validation: split(validationN, 'validation'),
    test: split(testN, 'test'),
    description: `CIFAR-shaped stand-in (not CIFAR): 10 classes of shifted low-frequency colour patterns with clutter and noise, ${n}/${validationN}/${testN} (seed ${seed})`,
  };
}
