/**
 * Profile (issue 21): where a c10-shaped step (deep linear, width 1, full-batch ℓ4 on the
 * 2,565 × 128 stand-in) spends its time, solo vs a replica group. Not a suite: its numbers are
 * kernel counts and per-kernel times for reading, not rates to track.
 * `DEPTH=3 WIDTH=1 JS_TOO=1 tsx --conditions=@overparam/source tools/bench/profile-replica-step.ts BACKEND [R...]`
 * prints wall ms and kernels per step (tf.profile); JS_TOO=1 adds the batch gathered on the JS side
 * (a no-op augment forces that path, as before the resident split) beside the backend's gather.
 */
import { buildModel } from '@overparam/architectures';
import { createRng, gatherBatch, tf, train, trainReplicas, type TrainConfig } from '@overparam/core';
import { loadDataSet } from '@overparam/data';
import { activate, registerBenchBackends } from './backends';

const [backend = 'cpu', ...rs] = process.argv.slice(2);
const counts = rs.length > 0 ? rs.map(Number) : [1, 10];
process.env.TF_ENABLE_ONEDNN_OPTS ??= '1';
registerBenchBackends();
const why = await activate(backend);
if (why !== undefined) throw new Error(why);
const depth = Number(process.env.DEPTH ?? 3);
const data = loadDataSet('lp-regression');
const n = data.train.n;
const width = Number(process.env.WIDTH ?? 1);
const model = (seed: number) => buildModel('deep-linear', { depth, width, inputDim: 128, outputDim: 1, initStd: 0.01 }, seed);
const config = (seed: number, steps: number, js: boolean): TrainConfig => ({
  steps, batchSize: n, loss: 'l4', schedule: { kind: 'constant', lr: 1e-3 }, seed, logEvery: steps, ...(js ? { augment: () => {} } : {}),
});

async function time(label: string, replicas: number, js: boolean, steps: number): Promise<void> {
  const models = Array.from({ length: Math.max(1, replicas) }, (_, r) => model(r));
  const go = async (s: number) => {
    if (replicas === 0) await train(models[0]!, data, config(0, s, js));
    else await trainReplicas(models.map((m, r) => ({ model: m, data, config: config(r, s, js) })));
  };
  await go(5);
  const prof = await tf.profile(() => go(steps));
  const kernels = prof.kernels.length / steps;
  const kernelMs = prof.kernels.reduce((a, k) => a + (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0), 0) / steps;
  const top = new Map<string, number>();
  for (const k of prof.kernels) top.set(k.name, (top.get(k.name) ?? 0) + (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0) / steps);
  const t0 = performance.now();
  await go(steps);
  const wall = (performance.now() - t0) / steps;
  const scale = Math.max(1, replicas);
  const heavy = [...top.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, ms]) => `${k} ${ms.toFixed(3)}`).join(', ');
  console.log(`${backend} ${label} R=${replicas === 0 ? 'solo' : replicas} gather=${js ? 'js' : 'backend'}: ${wall.toFixed(2)} ms/step wall, ${(1000 * scale / wall).toFixed(1)} replica-steps/s, ${kernels.toFixed(0)} kernels/step, ${kernelMs.toFixed(2)} kernel ms/step; top: ${heavy}`);
  for (const m of models) m.dispose();
}

// The JS-side pieces of one replica's batch, alone.
{
  const rng = createRng(1);
  const reps = 50;
  let t0 = performance.now();
  for (let i = 0; i < reps; i++) rng.permutation(n);
  const perm = (performance.now() - t0) / reps;
  const idx = rng.permutation(n);
  t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const b = gatherBatch(data, [{ split: data.train, indices: idx }], false);
    tf.dispose([b.x, b.y]);
  }
  const gather = (performance.now() - t0) / reps;
  console.log(`${backend} per replica per step: permutation ${perm.toFixed(3)} ms, gatherBatch+upload ${gather.toFixed(3)} ms`);
}
const before = tf.memory().numTensors;
for (const js of process.env.JS_TOO === '1' ? [true, false] : [false]) {
  await time(`DLN-${depth}-${width}`, 0, js, 40);
  for (const r of counts) await time(`DLN-${depth}-${width}`, r, js, 40);
}
console.log(`${backend} numTensors before ${before} after ${tf.memory().numTensors}`);
