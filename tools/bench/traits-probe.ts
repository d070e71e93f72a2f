// Temporary probe (not committed): which trait routes are fastest on the node backend.
import { buildModel } from '@overparam/architectures';
import { nodeBackend } from '@overparam/backend-node';
import { gatherBatch, registerBackend, selectBackend, train, type BackendTraits } from '@overparam/core';
import { gradientGram } from '@overparam/metrics';
import { syntheticClassification, randomInputs, randomLabels } from './synthetic';

async function use(traits: Partial<BackendTraits>) {
  registerBackend({ ...nodeBackend, traits });
  await selectBackend('node');
}
const data = syntheticClassification(2048, 784, 10);
const img = { name: 'img', inputShape: [32, 32, 3], task: 'classification' as const, numClasses: 10, train: { x: randomInputs(256 * 3072, 3), y: randomLabels(256, 10, 4), n: 256 } };
async function mlp(steps: number) {
  const model = buildModel('mlp', { depth: 3, width: 100, inputDim: 784, outputDim: 10, activation: 'tanh', init: 'glorot-normal' }, 0);
  await train(model, data, { steps: 5, batchSize: 128, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.01 }, seed: 0, logEvery: 5 });
  const t = performance.now();
  await train(model, data, { steps, batchSize: 128, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.01 }, seed: 0, logEvery: steps });
  model.dispose();
  return steps / ((performance.now() - t) / 1000);
}
async function cnn(steps: number) {
  const model = buildModel('cnn', { depth: 16, widthFactor: 2, batchNorm: false, inputShape: [32, 32, 3], classes: 10 }, 0);
  await train(model, img, { steps: 1, batchSize: 128, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.01 }, seed: 0, logEvery: 1 });
  const t = performance.now();
  await train(model, img, { steps, batchSize: 128, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.01 }, seed: 0, logEvery: steps });
  model.dispose();
  return steps / ((performance.now() - t) / 1000);
}
async function gram() {
  const model = buildModel('mlp', { depth: 3, width: 100, inputDim: 784, outputDim: 10, activation: 'tanh', init: 'glorot-normal' }, 0);
  const batch = gatherBatch(data, data.train, Int32Array.from({ length: 1024 }, (_, i) => i));
  await gradientGram(model, batch, { loss: 'softmax-cross-entropy', method: 'fast' });
  const t = performance.now();
  await gradientGram(model, batch, { loss: 'softmax-cross-entropy', method: 'fast' });
  const s = (performance.now() - t) / 1000;
  batch.x.dispose(); batch.y.dispose(); model.dispose();
  return s;
}
const which = process.argv[2] ?? 'all';
for (let rep = 0; rep < 2; rep++) {
  if (which === 'all' || which === 'mm') for (const m of ['native', 'explicit-transpose'] as const) { await use({ matMulGradient: m }); console.log('matMulGradient', m, (await mlp(200)).toFixed(1), 'steps/s'); }
  if (which === 'all' || which === 'gram') for (const g of ['device', 'host-float64'] as const) { await use({ gramProducts: g }); console.log('gramProducts', g, (await gram()).toFixed(3), 's'); }
  if (which === 'all' || which === 'conv') for (const c of ['native', 'forward-rewrite'] as const) { await use({ convGradient: c }); console.log('convGradient', c, (await cnn(2)).toFixed(3), 'steps/s'); }
}
