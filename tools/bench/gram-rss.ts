/**
 * One loss Gram workload in a process of its own, so that its peak RSS (the process's high-water
 * mark) is the Gram's and nothing else's. Run by vs-pytorch.ts; prints one JSON object on stdout.
 * Arguments: <backend> <depth> <width> <n> <reps>.
 */
import { buildModel } from '@overparam/architectures';
import { gatherBatch } from '@overparam/core';
import { gradientGram } from '@overparam/metrics';
import { activate, registerBenchBackends } from './backends';
import { summarize, timeSeconds } from './measure';
import { syntheticClassification } from './synthetic';

const [backend = 'cpu', depth = '3', width = '100', n = '1024', reps = '3'] = process.argv.slice(2);
registerBenchBackends();
const reason = await activate(backend);
if (reason !== undefined) {
  process.stdout.write(`${JSON.stringify({ skipped: reason })}\n`);
} else {
  const data = syntheticClassification(Number(n), 784, 10, 3);
  const model = buildModel('mlp', { depth: Number(depth), width: Number(width), inputDim: 784, outputDim: 10, activation: 'tanh', init: 'glorot-normal' }, 0);
  const batch = gatherBatch(data, data.train, Int32Array.from({ length: Number(n) }, (_, i) => i));
  const run = () => gradientGram(model, batch, { loss: 'softmax-cross-entropy', method: 'fast' });
  await run();
  const samples: number[] = [];
  for (let r = 0; r < Number(reps); r++) samples.push(await timeSeconds(async () => void (await run())));
  // maxRSS is in KiB: the high-water mark of this process, i.e. of this Gram (plus Node and tfjs).
  process.stdout.write(`${JSON.stringify({ ...summarize(samples), peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}
