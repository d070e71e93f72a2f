import { ConfigError } from '../errors';
import { restoreRng, type Rng, type RngState } from '../rng';

/**
 * How minibatches are drawn. `with-replacement`: every example of every batch uniform over the
 * training set, independently (the setting of the paper's theory). `shuffled-epochs`: a fresh
 * permutation each epoch, cut into consecutive batches (the experiments' setting); the last
 * partial batch is dropped so every step has the same batch size.
 */
export type Sampling = 'with-replacement' | 'shuffled-epochs';

export interface BatchDraw {
  readonly indices: Int32Array;
  /** Epoch the batch belongs to (0-based); with replacement, epochs are ⌊examples seen / n⌋. */
  readonly epoch: number;
  /** True when this batch completes an epoch. */
  readonly endsEpoch: boolean;
}

/**
 * Where a sampler is in its stream, as plain data a checkpoint can hold. The current epoch's
 * permutation is not stored: `permutationRng` is the stream as it was just before drawing it, so
 * restoring redraws the same permutation (a few bytes instead of n integers).
 */
export interface SamplerState {
  readonly rng: RngState;
  readonly permutationRng: RngState | null;
  readonly cursor: number;
  readonly seen: number;
  readonly epoch: number;
}

export class BatchSampler {
  private permutation: Int32Array | null = null;
  private permutationRng: RngState | null = null;
  private cursor = 0;
  private seen = 0;
  private epoch = 0;

  constructor(
    private readonly n: number,
    private readonly batchSize: number,
    private readonly mode: Sampling,
    private rng: Rng,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError('batchSize', `must be a positive integer, got ${batchSize}`);
    if (batchSize > n) throw new ConfigError('batchSize', `${batchSize} exceeds the ${n} training examples`);
  }

  /** Steps in one epoch. */
  get stepsPerEpoch(): number {
    return Math.floor(this.n / this.batchSize);
  }

  next(): BatchDraw {
    const epoch = this.epoch;
    let indices: Int32Array;
    if (this.mode === 'with-replacement') {
      indices = new Int32Array(this.batchSize);
      for (let i = 0; i < this.batchSize; i++) indices[i] = this.rng.int(this.n);
      this.seen += this.batchSize;
      const endsEpoch = Math.floor(this.seen / this.n) > epoch;
      if (endsEpoch) this.epoch++;
      return { indices, epoch, endsEpoch };
    }
    if (this.permutation === null) {
      this.permutationRng = this.rng.state();
      this.permutation = this.rng.permutation(this.n);
    }
    indices = this.permutation.slice(this.cursor, this.cursor + this.batchSize);
    this.cursor += this.batchSize;
    const endsEpoch = this.cursor + this.batchSize > this.n;
    if (endsEpoch) {
      this.permutation = null;
      this.permutationRng = null;
      this.cursor = 0;
      this.epoch++;
    }
    return { indices, epoch, endsEpoch };
  }

  state(): SamplerState {
    return { rng: this.rng.state(), permutationRng: this.permutationRng, cursor: this.cursor, seen: this.seen, epoch: this.epoch };
  }

  /** Continues exactly where `state` was taken (same n, batch size and mode). */
  restore(state: SamplerState): void {
    if (state.permutationRng === null) {
      this.permutation = null;
      this.permutationRng = null;
      this.rng = restoreRng(state.rng);
    } else {
      const rng = restoreRng(state.permutationRng);
      this.permutationRng = state.permutationRng;
      this.permutation = rng.permutation(this.n);
      this.rng = rng;
    }
    this.cursor = state.cursor;
    this.seen = state.seen;
    this.epoch = state.epoch;
  }
}
