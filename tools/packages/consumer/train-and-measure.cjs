/* eslint-disable @typescript-eslint/no-require-imports -- the point of this file is require() */
/* global require */
// The same consumer through require(): the packages' CommonJS builds.
// Usage: node train-and-measure.cjs <cpu|wasm>
const { buildModel } = require('@overparam/architectures');
const { cpuBackend } = require('@overparam/backend-cpu');
const { wasmBackend } = require('@overparam/backend-wasm');
const { MemorySink, registerBackend, selectBackend, tf, train } = require('@overparam/core');
const { teacherClassification } = require('@overparam/data');
const { minibatchConfusion } = require('@overparam/metrics');

async function main() {
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
    module: 'cjs',
    backend: selection.name,
    outcome: result.outcome,
    losses: sink.ofKind('train').map((r) => r.loss),
    cosines: Array.from(confusion.cosines),
    etaNormalized: confusion.etaNormalized,
    tensorGrowth,
  }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
