// A browser app's entry, bundled by esbuild for the browser: the bundle must hold no Node built-in.
// The wasm binaries are imported as files (esbuild's `file` loader copies them next to the bundle
// and gives their URLs), so the wasm backend loads them from the app's own assets.
import { buildModel } from '@overparam/architectures';
import { cpuBackend } from '@overparam/backend-cpu';
import { setWasmPathPrefix, wasmBackend } from '@overparam/backend-wasm';
import { webglBackend } from '@overparam/backend-webgl';
import { webgpuBackend } from '@overparam/backend-webgpu';
import { registerBackend, selectBackend, train } from '@overparam/core';
import { teacherClassification } from '@overparam/data';
import { minibatchConfusion } from '@overparam/metrics';
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm';
import threaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm';

setWasmPathPrefix({ 'tfjs-backend-wasm.wasm': plain, 'tfjs-backend-wasm-simd.wasm': simd, 'tfjs-backend-wasm-threaded-simd.wasm': threaded });
for (const plugin of [webgpuBackend, webglBackend, wasmBackend, cpuBackend]) registerBackend(plugin);
const { name } = await selectBackend('auto');
const data = teacherClassification({ n: 256, testN: 64, inputDim: 10, classes: 3, seed: 1 });
const model = buildModel('mlp', { depth: 2, width: 16, inputDim: 10, outputDim: 3 }, 0);
await train(model, data, { steps: 30, batchSize: 32, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.1 }, seed: 0 });
const confusion = await minibatchConfusion(model, data, { pairs: 8, batchSize: 16, loss: 'softmax-cross-entropy' });
document.body.textContent = `${name}: worst-case gradient confusion ${confusion.etaNormalized.toFixed(3)}`;
