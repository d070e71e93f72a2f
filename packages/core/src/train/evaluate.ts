import { gatherBatch, type Dataset, type Split } from '../data/dataset';
import type { Model } from '../layers/model';
import { resolveLoss, type Loss, type LossName } from '../losses';
import { tf } from '../tf';

export interface Evaluation {
  readonly loss: number;
  /** Fraction of correct argmax predictions (classification only). */
  readonly accuracy?: number;
  readonly n: number;
}

/** Mean loss (and accuracy) over a whole split, in evaluation mode, in chunks of `batchSize`. */
export async function evaluate(model: Model, data: Dataset, split: Split, lossName: LossName | Loss, batchSize = 1000): Promise<Evaluation> {
  const loss = resolveLoss(lossName);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < split.n; start += batchSize) {
    const count = Math.min(batchSize, split.n - start);
    const indices = Int32Array.from({ length: count }, (_, i) => start + i);
    const [lossTotal, hits] = tf.tidy(() => {
      const batch = gatherBatch(data, [{ split: split, indices: indices }], false);
      const out = model.apply(batch.x, { training: false });
      const total = tf.sum(loss.perExample(out, batch.y));
      const right = data.task === 'classification' ? tf.sum(tf.cast(tf.equal(tf.argMax(out, -1), tf.cast(batch.y, 'int32')), 'float32')) : tf.scalar(0);
      return [total, right];
    });
    lossSum += (await lossTotal.data())[0]!;
    correct += (await hits.data())[0]!;
    lossTotal.dispose();
    hits.dispose();
  }
  return { loss: lossSum / split.n, n: split.n, ...(data.task === 'classification' ? { accuracy: correct / split.n } : {}) };
}
