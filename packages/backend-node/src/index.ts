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
    const id = TFJS_NODE;
    try {
      await import(/* @vite-ignore */ id);
    } catch (e) {
      const missing = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' || (e as { code?: string }).code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(String(e));
      throw new BackendUnavailableError('node', missing ? `${TFJS_NODE} is not installed; ${installHint}` : `${TFJS_NODE} failed to load: ${(e as Error).message}`, { cause: e });
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
