// A strict TypeScript consumer of the published packages' declarations, type-checked (never run)
// under `moduleResolution` bundler (as this .ts file) and node16 (as the .mts and .cts copies the
// consumer test makes of it). Every import below must resolve to real types, not `any`.
import { buildModel } from '@overparam/architectures';
import { wasmBackend, setWasmPathPrefix, type WasmBinaryUrls } from '@overparam/backend-wasm';
import { webglBackend, webglCapabilities } from '@overparam/backend-webgl';
import { webgpuBackend } from '@overparam/backend-webgpu';
import {
  activeBackendTraits,
  registerBackend,
  selectBackend,
  train,
  type BackendSelection,
  type Model,
  type TrainConfig,
  type TrainResult,
} from '@overparam/core';
import { teacherClassification } from '@overparam/data';
import { minibatchConfusion, type MinibatchConfusion } from '@overparam/metrics';

export async function consumer(urls: WasmBinaryUrls): Promise<number> {
  setWasmPathPrefix(urls);
  for (const plugin of [webgpuBackend, webglBackend, wasmBackend]) registerBackend(plugin);
  const selection: BackendSelection = await selectBackend('auto');
  const bits: 16 | 32 = activeBackendTraits().floatBits;
  const version: number | undefined = webglCapabilities()?.webglVersion;
  const data = teacherClassification({ n: 64, testN: 16, inputDim: 4, classes: 2, seed: 1 });
  const model: Model = buildModel('mlp', { depth: 2, width: 8, inputDim: 4, outputDim: 2 }, 0);
  const config: TrainConfig = { steps: 5, batchSize: 8, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.1 }, seed: 0 };
  const result: TrainResult = await train(model, data, config);
  const confusion: MinibatchConfusion = await minibatchConfusion(model, data, { pairs: 2, batchSize: 8, loss: 'softmax-cross-entropy' });
  // @ts-expect-error the declarations are real: a number is not a string (an `any` here would fail this line)
  const wrong: string = confusion.etaNormalized;
  return selection.skipped.length + bits + (version ?? 0) + result.steps + confusion.etaNormalized + wrong.length;
}
