// A Node ESM consumer of the published packages: trains an MLP on a synthetic set and measures the
// minibatch gradient confusion, then prints what it saw as one JSON line.
// Usage: node train-and-measure.mjs <cpu|wasm>
import { buildModel } from '@overparam/architectures';
import { cpuBackend } from '@overparam/backend-cpu';
import { wasmBackend } from '@overparam/backend-wasm';
import { MemorySink, registerBackend, selectBackend, tf, train } from '@overparam/core';
import { teacherClassification } from '@overparam/data';
import { minibatchConfusion } from '@overparam/metrics';

for (const plugin of [cpuBackend, wasmBackend]) registerBackend(plugin);
const selection = await selectBackend(process.argv[2] ?? 'auto');
const data = teacherClassification({ n: 256, testN: 64, inputDim: 10, classes: 3, seed: 1 });
const model = buildModel('mlp', { depth: 2, width: 16, inputDim: 10, outputDim: 3 }, 0);
const tensorsBefore = tf.memory().numTensors;
const sink = new MemorySink();
const result = await train(model, data, { steps: 30, batchSize: 32, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.1 }, seed: 0, logEvery: 1 }, { sinks: [sink] });
const confusion = await minibatchConfusion(model, data, { pairs: 8, batchSize: 16, loss: 'softmax-cross-entropy', seed: 0 });
const tensorGrowth = tf.memory().numTensors - tensorsBefore;
model.dispose();
console.log(JSON.stringify({
  module: 'esm',
  backend: selection.name,
  outcome: result.outcome,
  losses: sink.ofKind('train').map((r) => r.loss),
  cosines: Array.from(confusion.cosines),
  etaNormalized: confusion.etaNormalized,
  tensorGrowth,
}));
