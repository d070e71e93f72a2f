/** The package this plugin wraps, and the one version the setup builds and this plugin is tested with. */
export const TFJS_NODE = '@tensorflow/tfjs-node';
export const tfjsNodeVersion = '4.22.0';

/**
 * The environment that keeps TensorFlow's start-up lines off the user's terminal, applied before
 * libtensorflow loads (it reads these once). A value the user set is kept.
 *
 * - `TF_CPP_MIN_LOG_LEVEL=2`: only errors from TensorFlow's own logging (drops the CPU feature notice).
 * - `TF_ENABLE_ONEDNN_OPTS=0`: oneDNN's eager rewrites announce themselves in a static initializer
 *   that no log level silences, and here they made small matMuls slower, not faster (MLP-3-100
 *   train step, tfjs-node + TensorFlow 2.21 on 2 cores: 176 steps/s without, 92 with; the wide
 *   MLP-10-1000 was within noise). Turning them off also keeps results free of oneDNN's reordering.
 */
export function quietTensorflowEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return { TF_CPP_MIN_LOG_LEVEL: env.TF_CPP_MIN_LOG_LEVEL ?? '2', TF_ENABLE_ONEDNN_OPTS: env.TF_ENABLE_ONEDNN_OPTS ?? '0' };
}
