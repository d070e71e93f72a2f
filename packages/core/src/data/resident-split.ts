import { activeBackendTraits } from '../backend/registry';
import { ShapeError } from '../errors';
import { tf, type Tensor } from '../tf';
import type { Batch, Dataset, Split } from './dataset';

/**
 * The most bytes of training data a loop copies onto the backend to gather its batches there.
 * A full-batch run otherwise builds and uploads its whole training set every step (for each
 * replica of a group); a copy made once turns that into one gather kernel. Past this size (image
 * sets, many replicas with data sets of their own) the loop gathers on the JS side as before:
 * a minibatch of such a set is small, and a second copy of it is not.
 */
export const RESIDENT_SPLIT_MAX_BYTES = 64 * 2 ** 20;

/** What a member of a loop trains on: its data set and whether it edits its batches (augmentation does, on the JS side). */
export interface ResidentMember {
  readonly data: Pick<Dataset, 'inputShape' | 'task' | 'targetDim'>;
  readonly split: Split;
  readonly augments: boolean;
}

const exampleSize = (data: ResidentMember['data']) => data.inputShape.reduce((a, b) => a * b, 1);

/**
 * The training splits of a loop's members, held on the backend for the length of the loop; each
 * step's batches are gathered there with one `gather` for all members. A gather copies values,
 * so a batch equals `gatherBatch`'s to the bit and nothing downstream (losses, checkpoints,
 * resume) changes. Splits are held once per split object (replicas that share a data set share
 * its copy); members address theirs by a row offset into the concatenation.
 */
export class ResidentSplits {
  private constructor(
    private readonly x: Tensor,
    private readonly y: Tensor,
    private offsets: number[],
    private readonly data: ResidentMember['data'],
  ) {}

  /**
   * The members' splits on the backend, or undefined where the loop must gather on the JS side:
   * the backend gathers slowly (`gather`, its `batchGather` trait), a member augments its
   * batches, or the distinct splits exceed `maxBytes`.
   */
  static create(members: readonly ResidentMember[], maxBytes = RESIDENT_SPLIT_MAX_BYTES, gather = activeBackendTraits().batchGather): ResidentSplits | undefined {
    const first = members[0];
    if (first === undefined || gather === 'host' || members.some((m) => m.augments)) return undefined;
    const distinct: Split[] = [];
    // Where each distinct split starts in the concatenation: a running sum of the rows before it.
    const starts = new Map<Split, number>();
    const offsets: number[] = [];
    let rows = 0;
    let bytes = 0;
    for (const m of members) {
      let start = starts.get(m.split);
      if (start === undefined) {
        const size = exampleSize(m.data);
        if (m.split.x.length !== m.split.n * size) throw new ShapeError(`split holds ${m.split.x.length} input values, expected ${m.split.n} × ${size}`);
        distinct.push(m.split);
        start = rows;
        starts.set(m.split, start);
        rows += m.split.n;
        bytes += m.split.x.byteLength + m.split.y.byteLength;
      }
      offsets.push(start);
    }
    if (bytes > maxBytes) return undefined;
    const data = first.data;
    const shape = data.inputShape;
    const dim = data.task === 'classification' ? 0 : (data.targetDim ?? first.split.y.length / first.split.n);
    const [x, y] = tf.tidy(() => {
      const xs = distinct.map((s) => tf.tensor(s.x, [s.n, ...shape]));
      const ys = distinct.map((s) => (data.task === 'classification' ? tf.tensor1d(s.y as Int32Array, 'int32') : tf.tensor2d(s.y as Float32Array, [s.n, dim])));
      return [xs.length === 1 ? xs[0]! : tf.concat(xs), ys.length === 1 ? ys[0]! : tf.concat(ys)];
    });
    return new ResidentSplits(x, y, offsets, data);
  }

  /**
   * Member j's batch is rows `indices[j]` of its split: stacked `[members, B, ...]` as a replica
   * group takes it, or with `stacked` false (one member, a solo run) `[B, ...]` as `gatherBatch`
   * gives it. The caller disposes the batch.
   */
  gather(indices: readonly Int32Array[], stacked = true): Batch {
    const b = indices[0]!.length;
    const all = new Int32Array(indices.length * b);
    for (const [j, rows] of indices.entries()) {
      const offset = this.offsets[j]!;
      for (let i = 0; i < b; i++) all[j * b + i] = rows[i]! + offset;
    }
    return tf.tidy(() => {
      const at = tf.tensor1d(all, 'int32');
      const x = tf.gather(this.x, at);
      const y = tf.gather(this.y, at);
      if (!stacked) return { x, y };
      const lead = [indices.length, b];
      return { x: tf.reshape(x, [...lead, ...this.data.inputShape]), y: tf.reshape(y, [...lead, ...y.shape.slice(1)]) };
    });
  }

  /** Only the members at these positions go on (their splits stay: a later keep may not free rows under another's offset). */
  keep(positions: readonly number[]): void {
    this.offsets = positions.map((j) => this.offsets[j]!);
  }

  dispose(): void {
    this.x.dispose();
    this.y.dispose();
  }
}
