import { tf, type BackendPlugin } from '@overparam/core';

interface NavigatorWithGpu {
  readonly gpu?: { requestAdapter(): Promise<unknown> };
}

/**
 * Why WebGPU cannot run here, or undefined when an adapter is available. tfjs registers its
 * webgpu backend only where `navigator.gpu` exists, and its factory crashes on a null adapter, so
 * both cases are checked first and named.
 */
async function webgpuUnavailableReason(): Promise<string | undefined> {
  const nav = (globalThis as { navigator?: NavigatorWithGpu }).navigator;
  if (nav?.gpu === undefined) return 'this browser exposes no WebGPU (navigator.gpu is undefined: WebGPU needs a secure context, https or localhost, and a browser that ships it)';
  if ((await nav.gpu.requestAdapter()) === null) {
    return 'the browser has WebGPU but offers no adapter (no GPU, or its driver is blocklisted; headless Chromium needs --enable-unsafe-webgpu)';
  }
  return undefined;
}

/**
 * WebGPU compute shaders: the fastest browser backend where it is available. Always float32
 * (tfjs-webgpu declares no float16 storage), with tfjs's own gradient kernels.
 */
export const webgpuBackend: BackendPlugin = {
  name: 'webgpu',
  tfName: 'webgpu',
  priority: 250,
  platforms: ['browser'],
  packageName: '@overparam/backend-webgpu',
  traits: { floatBits: 32 },
  async load() {
    const reason = await webgpuUnavailableReason();
    if (reason !== undefined) throw new Error(reason);
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not initialize the webgpu backend (see the console for the device error)');
    await tf.ready();
  },
};
