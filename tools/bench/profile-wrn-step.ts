/**
 * Profile (issue 21): where a CNN-16-2 / WRN-16-2 training step (the `wrn-train` workload: batch
 * 128 of 32×32×3, softmax cross-entropy, SGD) spends its time, with batch norm and skip connections
 * each on or off, so the gap between the two bench rows can be put on a layer kind. Not a suite:
 * its numbers are kernel counts and per-kernel times for reading, not rates to track.
 * `tsx --conditions=@overparam/source tools/bench/profile-wrn-step.ts BACKEND [STEPS]`
 * (node: oneDNN on unless TF_ENABLE_ONEDNN_OPTS says otherwise, as the node backend picks for conv nets).
 */
import { buildModel } from '@overparam/architectures';
import { tf, train, type Dataset } from '@overparam/core';
import { activate, registerBenchBackends } from './backends';
import { randomInputs, randomLabels } from './synthetic';

const [backend = 'node', stepsArg = '3'] = process.argv.slice(2);
const steps = Number(stepsArg);
process.env.TF_ENABLE_ONEDNN_OPTS ??= '1';
registerBenchBackends();
const why = await activate(backend);
if (why !== undefined) throw new Error(why);

const BATCH = 128;
const n = 2 * BATCH;
const data: Dataset = {
  name: 'synthetic-images',
  inputShape: [32, 32, 3],
  task: 'classification',
  numClasses: 10,
  train: { x: randomInputs(n * 32 * 32 * 3, 3), y: randomLabels(n, 10, 4), n },
};

const variants = [
  { label: 'CNN-16-2 (no BN, no skip)', arch: 'cnn', batchNorm: false },
  { label: 'CNN-16-2 + BN', arch: 'cnn', batchNorm: true },
  { label: 'WRN-16-2 without BN (skip)', arch: 'wrn', batchNorm: false },
  { label: 'WRN-16-2 (BN + skip)', arch: 'wrn', batchNorm: true },
] as const;

const before = tf.memory().numTensors;
for (const v of variants) {
  const model = buildModel(v.arch, { depth: 16, widthFactor: 2, batchNorm: v.batchNorm, inputShape: [32, 32, 3], classes: 10 }, 0);
  const go = async (s: number) => {
    await train(model, data, { steps: s, batchSize: BATCH, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.01 }, seed: 0, logEvery: s });
  };
  await go(1);
  const t0 = performance.now();
  await go(steps);
  const wall = (performance.now() - t0) / steps;
  const prof = await tf.profile(() => go(steps));
  const ms = (k: { kernelTimeMs: unknown }) => (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0);
  const kernelMs = prof.kernels.reduce((a, k) => a + ms(k), 0) / steps;
  const byKernel = new Map<string, { ms: number; count: number }>();
  for (const k of prof.kernels) {
    const e = byKernel.get(k.name) ?? { ms: 0, count: 0 };
    e.ms += ms(k) / steps;
    e.count += 1 / steps;
    byKernel.set(k.name, e);
  }
  const top = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8).map(([k, e]) => `${k} ${e.ms.toFixed(0)} ms ×${e.count.toFixed(0)}`).join(', ');
  console.log(`${backend} ${v.label}: ${wall.toFixed(0)} ms/step wall, ${(prof.kernels.length / steps).toFixed(0)} kernels/step, ${kernelMs.toFixed(0)} kernel ms/step; top: ${top}`);
  model.dispose();
}
console.log(`${backend} numTensors before ${before} after ${tf.memory().numTensors}`);
