import { tf, type BackendPlugin } from '@overparam/core';

/** The reference backend: plain JavaScript, slow, available on every platform. */
export const cpuBackend: BackendPlugin = {
  name: 'cpu',
  tfName: 'cpu',
  priority: 0,
  platforms: ['node', 'browser'],
  packageName: '@overparam/backend-cpu',
  async load() {
    await import('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('tfjs refused to initialize the cpu backend');
    await tf.ready();
  },
};
