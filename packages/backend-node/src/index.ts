import { BackendUnavailableError, defaultWorkload, tf, type BackendPlugin, type Workload } from '@overparam/core';
import { registerFusedBatchNorm } from './fused-batch-norm';
import { onednnSetting, tensorflowEnv, threadSetting, TFJS_NODE, tfjsNodeVersion, type LoadSetting } from './tfjs-node';

export { ONEDNN_MIN_WIDTH, onednnFor, onednnSetting, tensorflowEnv, threadSetting, TFJS_NODE, tfjsNodeVersion, type LoadSetting, type OnednnSetting, type ThreadSetting } from './tfjs-node';

export const installHint =
  'set it up with `npx overparam setup node-backend` (installs ' +
  `${TFJS_NODE}@${tfjsNodeVersion} without its install script and builds it against TensorFlow from PyPI)`;

/**
 * The setting libtensorflow loaded with: it reads the environment once per process, so the first
 * load decides and later loads (another run in the same process) keep it.
 */
let loadedWith: LoadSetting | undefined;
/** The environment as it was before the first load wrote its setting into it: what the user chose. */
let userEnv: Readonly<Record<string, string | undefined>> | undefined;

/** The one place a load's setting is decided: oneDNN from the workload, the thread pools from the processes sharing the cores; the user's environment wins over both. */
function loadSetting(env: Readonly<Record<string, string | undefined>>, workload: Workload): LoadSetting {
  return { ...onednnSetting(env, workload), ...threadSetting(env) };
}

/** What the tfjs-node binding exposes that we read: the version of the libtensorflow it loaded. */
interface TensorflowBinding {
  readonly TF_Version?: string;
}

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
  // TensorFlow's own routes win, measured with each alternative on this backend (2-core machine
  // shared with other jobs, two interleaved rounds): MLP-3-100 train step, native matMul gradient
  // 94 / 88 steps/s against 79 / 33 with explicit transposes; loss Gram n = 1024 on MLP-3-100, device
  // products 0.09 / 0.61 s against 5.2 / 3.7 s in host float64; CNN-16-2 step, native
  // Conv2DBackpropFilter/Input 0.13 / 0.24 steps/s against 0.15 / 0.23 rewritten (a tie: native kept);
  // a c10-shaped full-batch step (DLN-3-1, 2,565 × 128, oneDNN on) gathering its batch on the
  // device 353 steps/s against 189 copying it in JS, a group of 10 872 against 333 replica-steps/s.
  // Batch norm on TensorFlow's fused kernels (fused-batch-norm.ts): a WRN-16-2 step (profile-wrn-step.ts,
  // oneDNN on, idle) took 1,263 ms with batch norm composed of tfjs ops, 488 ms with core's portable
  // op and 409 ms with these, against 399 ms for the same net without batch norm.
  traits: { matMulGradient: 'native', convGradient: 'native', gramProducts: 'device', floatBits: 32, batchGather: 'device', batchNormTraining: 'kernel' },
  async load(workload = defaultWorkload) {
    // Resolve before importing, so "not installed" is told apart from "installed but broken".
    if (!(await isTfjsNodeInstalled())) throw new BackendUnavailableError('node', `${TFJS_NODE} is not installed; ${installHint}`);
    if (loadedWith === undefined) {
      // libtensorflow reads these once, when it loads (a user's TF_ENABLE_ONEDNN_OPTS and thread counts win).
      const setting = loadSetting(process.env, workload);
      userEnv = { ...process.env };
      Object.assign(process.env, tensorflowEnv(process.env, setting));
      loadedWith = setting;
    }
    const id = TFJS_NODE;
    try {
      await import(/* @vite-ignore */ id);
    } catch (e) {
      throw new BackendUnavailableError('node', `${TFJS_NODE} is installed but failed to load (${(e as Error).message.split('\n')[0]}); ${installHint}`, { cause: e });
    }
    if (!(await tf.setBackend('tensorflow'))) throw new BackendUnavailableError('node', 'tfjs could not initialize the tensorflow backend');
    registerFusedBatchNorm();
    await tf.ready();
  },
  installed: () => isTfjsNodeInstalled(),
  describe() {
    const binding = (tf.findBackend('tensorflow') as { binding?: TensorflowBinding } | null)?.binding;
    return `TensorFlow ${binding?.TF_Version ?? 'of unknown version'} through ${TFJS_NODE}`;
  },
  settings() {
    return loadedWith === undefined ? {} : { ...loadedWith };
  },
  plannedSettings(workload) {
    return { ...loadSetting(userEnv ?? process.env, workload) };
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
