/**
 * The browser benchmark's page (bundled by `run.ts`): the four browser backends, and the same MLP
 * training workload and timing harness as the Node `mlp-train` suite, exposed to the driver as
 * `globalThis.overparamBench`.
 */
import { cpuBackend } from '@overparam/backend-cpu';
import { setWasmPathPrefix, wasmBackend } from '@overparam/backend-wasm';
import { webglBackend } from '@overparam/backend-webgl';
import { webgpuBackend } from '@overparam/backend-webgpu';
import { activeBackendTraits, DEFAULT_READ_LOSS_EVERY, registerBackend, selectBackend, tf } from '@overparam/core';
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm';
import threaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm';
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

setWasmPathPrefix({ 'tfjs-backend-wasm.wasm': plain, 'tfjs-backend-wasm-simd.wasm': simd, 'tfjs-backend-wasm-threaded-simd.wasm': threaded });
for (const plugin of [webgpuBackend, webglBackend, wasmBackend, cpuBackend]) registerBackend(plugin);

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
