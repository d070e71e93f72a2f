import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { activation } from './activation';
import { dense } from './dense';
import { createModel } from './model';
import { serial } from './serial';

describe('Model.readWeightsAsync', () => {
  it('reads what readWeights reads, as copies, without leaking tensors', async () => {
    const model = createModel(serial(dense({ units: 4 }), activation('tanh'), dense({ units: 2 })), { inputShape: [3], seed: 5 });
    // Biases start at zero: move them, so that every parameter has values worth comparing.
    model.writeWeights(model.readWeights().map((w) => ({ ...w, values: w.values.map((v, i) => v + 0.1 * (i + 1)) })));
    const before = tf.memory().numTensors;
    const read = await model.readWeightsAsync();
    expect(tf.memory().numTensors).toBe(before);
    const reference = model.readWeights();
    expect(read.map((w) => [w.path, w.shape])).toEqual(reference.map((w) => [w.path, w.shape]));
    read.forEach((w, i) => expect(Array.from(w.values)).toEqual(Array.from(reference[i]!.values)));
    // A copy: changing it leaves the model alone.
    read[0]!.values[0] = 1e6;
    expect(model.readWeights()[0]!.values[0]).toBe(reference[0]!.values[0]);
    model.dispose();
  });
});
