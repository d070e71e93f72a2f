import { tf, type BackendPlugin } from '@overparam/core';

/** The reference backend: plain JavaScript, slow, available on every platform. */
export const cpuBackend: BackendPlugin = {
  name: 'cpu',
  tfName: 'cpu',
  priority: 0,
  platforms: ['node', 'browser'],
  packageName: '@overparam/backend-cpu',
  // Its JS kernels: Conv2DBackpropFilter is ~20× slower than the forward rewrite, and a float32
  // matMul is slower than float64 row products in plain JS; its gather kernel takes ~25 ms for a
  // 2,565 × 128 full batch that a JS copy makes in under 1 ms.
  traits: { convGradient: 'forward-rewrite', gramProducts: 'host-float64', batchGather: 'host' },
  async load() {
    await import('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('tfjs refused to initialize the cpu backend');
    await tf.ready();
    // Its first tensor prints a banner urging Node users to install tfjs-node; `overparam
    // backends` says what is available and why, so that first write happens with warnings off.
    const quiet = tf.env().getBool('PROD');
    tf.env().set('PROD', true);
    tf.tensor1d([0]).dispose();
    tf.env().set('PROD', quiet);
  },
};
