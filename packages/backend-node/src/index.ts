import { BackendUnavailableError, tf, type BackendPlugin } from '@overparam/core';

const TFJS_NODE = '@tensorflow/tfjs-node';

export const installHint =
  `install the optional peer dependency with \`npm install ${TFJS_NODE}\` ` +
  '(its install script downloads libtensorflow, so it needs network access at install time)';

/**
 * Native TensorFlow through `@tensorflow/tfjs-node`: the fastest in Node where it can be
 * installed. The dependency is optional and loaded lazily, so its absence is a reason reported
 * by `auto`, or a typed error when asked for by name, never a crash at import time.
 */
export const nodeBackend: BackendPlugin = {
  name: 'node',
  tfName: 'tensorflow',
  priority: 300,
  platforms: ['node'],
  packageName: '@overparam/backend-node',
  async load() {
    // Resolve before importing, so "not installed" is told apart from "installed but broken".
    if (!(await isTfjsNodeInstalled())) throw new BackendUnavailableError('node', `${TFJS_NODE} is not installed; ${installHint}`);
    const id = TFJS_NODE;
    try {
      await import(/* @vite-ignore */ id);
    } catch (e) {
      throw new BackendUnavailableError('node', `${TFJS_NODE} is installed but failed to load: ${(e as Error).message}`, { cause: e });
    }
    if (!(await tf.setBackend('tensorflow'))) throw new BackendUnavailableError('node', 'tfjs could not initialize the tensorflow backend');
    await tf.ready();
  },
};

/** Whether `@tensorflow/tfjs-node` can be resolved from here (without loading it). */
export async function isTfjsNodeInstalled(): Promise<boolean> {
  try {
    const { createRequire } = await import('node:module');
    createRequire(import.meta.url).resolve(TFJS_NODE);
    return true;
  } catch {
    return false;
  }
}
