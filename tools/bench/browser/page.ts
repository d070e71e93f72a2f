/**
 * The browser benchmark's page (bundled by `run.ts`): the browser backends the playground ships, and the same MLP
 * training workload and timing harness as the Node `mlp-train` suite, exposed to the driver as
 * `globalThis.overparamBench`.
 */
import { activeBackendTraits, DEFAULT_READ_LOSS_EVERY, selectBackend, tf } from '@overparam/core';
import { registerBrowserBackends } from '../../../apps/playground/src/backends';
import { calibrateSteps, measureRate, type Summary } from '../measure';
import { benchData, benchMlp, trainSteps } from '../mlp-workload';
import type { BenchSettings } from '../suite';

export interface BrowserMlpResult extends Summary {
  readonly steps: number;
  readonly params: number;
  readonly numTensorsBefore: number;
  readonly numTensorsAfter: number;
  readonly floatBits: number;
  readonly readLossEvery: number;
}

registerBrowserBackends();

/** `readLossEvery`: 1 reads every step's loss back (the loop before issue 21); the default reads when needed. */
async function benchmarkMlp(backend: string, depth: number, width: number, settings: BenchSettings, readLossEvery = DEFAULT_READ_LOSS_EVERY): Promise<BrowserMlpResult> {
  await selectBackend(backend);
  const model = benchMlp(depth, width);
  try {
    const data = benchData();
    const run = (steps: number) => trainSteps(model, data, steps, readLossEvery);
    const numTensorsBefore = tf.memory().numTensors;
    const { steps } = await calibrateSteps(run, settings);
    const summary = await measureRate(run, steps, settings.reps, 0);
    return { ...summary, steps, params: model.paramCount, numTensorsBefore, numTensorsAfter: tf.memory().numTensors, floatBits: activeBackendTraits().floatBits, readLossEvery };
  } finally {
    model.dispose();
  }
}

(globalThis as { overparamBench?: unknown }).overparamBench = { benchmarkMlp };
