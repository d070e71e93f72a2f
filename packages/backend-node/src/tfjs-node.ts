import type { Workload } from '@overparam/core';

/** The package this plugin wraps, and the one version the setup builds and this plugin is tested with. */
export const TFJS_NODE = '@tensorflow/tfjs-node';
export const tfjsNodeVersion = '4.22.0';

/**
 * The widest dense layer from which a solo dense net trains faster with oneDNN. Measured with
 * tfjs-node + TensorFlow 2.21 on 2 cores (steps/s without / with oneDNN): MLP-3-100 at batch 128
 * 355 / 229 and MLP-10-100 258 / 102 on a quiet machine; MLP-3-1000 29 / 31 (a tie), MLP-3-2048
 * 2 / 6, and the Du et al. net MLP-2-4096 on 16 examples 2.05 / 0.078 s a step (26×), loaded.
 */
export const ONEDNN_MIN_WIDTH = 1000;

/** Whether oneDNN is on, and what decided it. */
export interface OnednnSetting {
  readonly onednn: boolean;
  /** `environment`: the user's TF_ENABLE_ONEDNN_OPTS; `workload`: `onednnFor` of the work announced at load. */
  readonly onednnChosenBy: 'environment' | 'workload';
}

/**
 * oneDNN's rewrites pay where kernels are large (convolutions, wide matMuls, the batched matMuls
 * of replicas) and cost a fixed overhead per op that dominates small ones: a solo run of a narrow
 * dense net is dispatch-bound and slower with it (see `ONEDNN_MIN_WIDTH`; conv nets: CNN-16-2 went
 * from 0.75 to 1.78 steps/s with it; replicas: issue 21 measured 3–5× the best solo rate with it,
 * about the solo rate without). Except a group of width-1 nets, whose batched matMuls are
 * matrix-vector products, slower in oneDNN: a group of 10 full-batch DLN-3-1 (the c10 shape, 2,565 ×
 * 128) ran 802 / 761 replica-steps/s with it against 1,141 / 935 without (interleaved, 2 shared
 * cores, load ≈ 5), while at width 10 it ran 890 / 797 with it against 362 / 363 without.
 */
export function onednnFor(workload: Workload): boolean {
  const groupWorthIt = workload.replicas > 1 && (workload.width === undefined || workload.width > 1);
  return workload.convolutional || groupWorthIt || (workload.width ?? 0) >= ONEDNN_MIN_WIDTH;
}

/** The oneDNN setting for `workload`, unless the user set TF_ENABLE_ONEDNN_OPTS (their choice wins). */
export function onednnSetting(env: Readonly<Record<string, string | undefined>>, workload: Workload): OnednnSetting {
  const given = env.TF_ENABLE_ONEDNN_OPTS;
  if (given !== undefined && given !== '') return { onednn: !['0', 'false'].includes(given.trim().toLowerCase()), onednnChosenBy: 'environment' };
  return { onednn: onednnFor(workload), onednnChosenBy: 'workload' };
}

/** TensorFlow's thread pools, and what decided their sizes; `{}` where TensorFlow keeps its own default (a thread per core). */
export interface ThreadSetting {
  readonly intraOpThreads?: number;
  readonly interOpThreads?: number;
  readonly threadsChosenBy?: 'environment';
}

/**
 * TensorFlow's pools: its own default (a thread per core), unless the user set
 * TF_NUM_INTRAOP_THREADS (and TF_NUM_INTEROP_THREADS, else the same count). Not derived from a
 * sweep's `--jobs`: the intra-op thread count changes how a kernel splits its sums, so a cell's
 * numbers would depend on how many processes shared the machine — a Slurm shard (one process) and
 * a `--jobs 2` sweep of the same cells differed in their losses when each worker got its share of
 * the cores. Measured on 2 cores: these two variables take a libtensorflow process from 15 threads
 * to 13 (one less in each pool); OMP_NUM_THREADS changes nothing with oneDNN on (its kernels run on
 * TensorFlow's pool), so it is left alone.
 */
export function threadSetting(env: Readonly<Record<string, string | undefined>>): ThreadSetting {
  const count = (value: string | undefined) => (value !== undefined && /^\s*[1-9]\d*\s*$/.test(value) ? Number(value) : undefined);
  const intra = count(env.TF_NUM_INTRAOP_THREADS);
  if (intra !== undefined) return { intraOpThreads: intra, interOpThreads: count(env.TF_NUM_INTEROP_THREADS) ?? intra, threadsChosenBy: 'environment' };
  return {};
}

/** What a load fixes for the whole process: oneDNN and TensorFlow's thread pools (run.json's `backendSettings`). */
export type LoadSetting = OnednnSetting & ThreadSetting;

/**
 * The environment libtensorflow must see when it loads (it reads these once): oneDNN and the
 * thread pools as the setting says, and `TF_CPP_MIN_LOG_LEVEL=2` (only errors from TensorFlow's own
 * logging, which drops the CPU feature notice) unless the user set it. With oneDNN on, TensorFlow
 * still announces it in one line from a static initializer that no log level silences.
 */
export function tensorflowEnv(env: Readonly<Record<string, string | undefined>>, setting: LoadSetting): Record<string, string> {
  return {
    TF_CPP_MIN_LOG_LEVEL: env.TF_CPP_MIN_LOG_LEVEL ?? '2',
    TF_ENABLE_ONEDNN_OPTS: setting.onednn ? '1' : '0',
    ...(setting.intraOpThreads === undefined ? {} : { TF_NUM_INTRAOP_THREADS: String(setting.intraOpThreads), TF_NUM_INTEROP_THREADS: String(setting.interOpThreads ?? setting.intraOpThreads) }),
  };
}
