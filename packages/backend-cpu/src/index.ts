import { tf, type BackendPlugin } from '@overparam/core';

/** The reference backend: plain JavaScript, slow, available on every platform. */
export const cpuBackend: BackendPlugin = {
  name: 'cpu',
  tfName: 'cpu',
  priority: 0,
  platforms: ['node', 'browser'],
  packageName: '@overparam/backend-cpu',
  // Its JS kernels: Conv2DBackpropFilter is ~20× slower than the forward rewrite, and a float32
  // matMul is slower than float64 row products in plain JS.
  traits: { convGradient: 'forward-rewrite', gramProducts: 'host-float64' },
  async load() {
    await import('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('tfjs refused to initialize the cpu backend');
    await tf.ready();
    // Its first write prints a banner urging tfjs-node in Node; our CLI names the node backend itself.
    const backend = tf.backend() as { firstUse?: boolean };
    if (backend.firstUse === true) backend.firstUse = false;
  },
};
