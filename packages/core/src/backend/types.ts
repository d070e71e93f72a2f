/** Where a backend can run. */
export type Platform = 'node' | 'browser';

/**
 * A backend plugin is a plain object, registered by name (the tfjs habit): which platforms it
 * serves, how strongly `auto` should prefer it, and how to load and activate it. `load()` either
 * leaves the backend active in tfjs or throws; a thrown error becomes the reason `auto` reports.
 */
export interface BackendPlugin {
  /** Our name for it, as used in configs and `--backend`. */
  readonly name: string;
  /** The name tfjs registers the backend under (`cpu`, `wasm`, `tensorflow`, `webgl`). */
  readonly tfName: string;
  /** Higher wins under `auto`. Conventional values: node 300, webgpu 250, webgl 200, wasm 100, cpu 0. */
  readonly priority: number;
  readonly platforms: readonly Platform[];
  /** The npm package a user installs to get this backend; named in "not installed" errors. */
  readonly packageName: string;
  /** What differs on this backend; unset fields take `defaultBackendTraits`. */
  readonly traits?: Partial<BackendTraits>;
  /**
   * Loads the tfjs backend, registers it with tfjs and makes it active. `workload` is what the
   * caller knows of the work ahead, for the choices a library fixes when it loads (oneDNN in
   * libtensorflow); a plugin with no such choice ignores it.
   */
  load(workload?: Workload): Promise<void>;
  /**
   * Whether the backend's package is there, checked without loading it (a sweep plans its work in
   * a process that may never load it); absent means always. `auto` may still pass over an
   * installed backend that fails to load.
   */
  installed?(): Promise<boolean>;
  /** What exactly was loaded (a library and its version), once `load()` succeeded; shown by status listings. */
  describe?(): string;
  /**
   * The settings in force that a load decided (e.g. `{ onednn: true, onednnChosenBy: 'workload' }`),
   * for the run's record; absent or `{}` where there are none.
   */
  settings?(): BackendSettings;
  /**
   * The settings a load for `workload` would fix, computed without loading: where the backend is
   * already loaded with others, a caller that must not run with them (a sweep worker, see
   * `SelectBackendOptions.sameSettings`) is refused. Absent where a load fixes nothing.
   */
  plannedSettings?(workload: Workload): BackendSettings;
}

/** A plugin's load-time settings, as recorded in a run's `run.json`. */
export type BackendSettings = Readonly<Record<string, string | number | boolean>>;

/**
 * What a caller (the CLI, a run, a benchmark) knows about the work before the backend loads. It
 * describes the work, never a backend: each plugin turns it into its own settings.
 */
export interface Workload {
  /** The model has convolutions. */
  readonly convolutional: boolean;
  /** Units of the model's widest dense layer, where its architecture says. */
  readonly width?: number;
  /** Runs trained as one batched model (replicas); 1 for a solo run. */
  readonly replicas: number;
}

/** The workload assumed where a caller says nothing: a solo run of a small dense net. */
export const defaultWorkload: Workload = { convolutional: false, replicas: 1 };

/**
 * The ways backends differ that callers must know about, declared by each plugin (the tfjs
 * habit) so that no code outside a plugin tests a backend's name. Read the active backend's with
 * `activeBackendTraits()`.
 */
export interface BackendTraits {
  /**
   * How the backward pass of `x·w` is formed. `explicit-transpose`: transpose, then a plain
   * matMul, for backends whose matMul with a transpose flag is slow (wasm bypasses XNNPACK then).
   */
  readonly matMulGradient: 'native' | 'explicit-transpose';
  /**
   * How conv2d is differentiated. `forward-rewrite`: both gradients as forward convolutions, for
   * backends that lack `Conv2DBackpropFilter` (wasm) or run it far slower than the rewrite (cpu).
   */
  readonly convGradient: 'native' | 'forward-rewrite';
  /**
   * Where the Gram engine forms its row products. `host-float64`: in plain JS in float64, for
   * backends whose matMul is slower than that (the cpu backend's JS kernels).
   */
  readonly gramProducts: 'device' | 'host-float64';
  /** Bits of the kernels' floating point: 32, or 16 where a GPU computes in half precision. */
  readonly floatBits: 32 | 16;
  /**
   * How max pooling is differentiated. `views`: its input gradient written with plain ops over the
   * strided views of the input, for backends whose MaxPoolGrad kernel is wrong (wasm in tfjs 4.22
   * drops the gradient of windows whose maximum is negative).
   */
  readonly maxPoolGradient: 'native' | 'views';
  /**
   * Where a training step's minibatch rows are gathered. `device`: from a copy of the training
   * split held on the backend, by one gather kernel (`ResidentSplits`); `host`: copied in JS and
   * uploaded, for backends whose gather kernel is slower than that (wasm and cpu in tfjs 4.22
   * compute every element's index: a 2,565 × 128 full batch ~10–40× a JS copy).
   */
  readonly batchGather: 'device' | 'host';
  /**
   * How a replica group (`trainReplicas`) steps. `batched`: as one model, weights stacked on a
   * replica axis, one batched matMul for all; `sequential`: each member as its solo `train()`, one
   * after another, for backends whose batched matMul is slower than the plain ones (wasm in tfjs
   * 4.22 runs BatchMatMul outside XNNPACK: a group of 10 full-batch DLN-3-100 runs at 0.08× the
   * solo replica-steps/s). Its members then equal their solo runs to the bit.
   */
  readonly replicaSteps: 'batched' | 'sequential';
  /**
   * How batch norm computes in training mode. `op`: core's portable op (moments, then one
   * `customGrad` with the backward pass in closed form; batch-norm-op.ts); `kernel`: the backend's
   * fused kernel registered under core's name (batch-norm-kernel.ts), one kernel each way (node:
   * TensorFlow's FusedBatchNormV3, which the plugin registers when it loads).
   */
  readonly batchNormTraining: 'op' | 'kernel';
}

/** The traits of a backend that declares none: tfjs's own routes are fast and float32. */
export const defaultBackendTraits: BackendTraits = {
  matMulGradient: 'native',
  convGradient: 'native',
  gramProducts: 'device',
  floatBits: 32,
  maxPoolGradient: 'native',
  batchGather: 'device',
  replicaSteps: 'batched',
  batchNormTraining: 'op',
};

export interface BackendSelection {
  /** Our name of the backend now active. */
  readonly name: string;
  /** The name tfjs reports for it. */
  readonly tfName: string;
  /** For every other candidate that was considered: why it was not chosen. */
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
  /** The load-time settings of the chosen backend (its plugin's `settings()`); `{}` where it has none. */
  readonly settings: BackendSettings;
}

export interface BackendStatus {
  readonly name: string;
  readonly priority: number;
  readonly platforms: readonly Platform[];
  readonly packageName: string;
  readonly available: boolean;
  /** Why it is unavailable; absent when available. */
  readonly reason?: string;
  /** What was loaded, from the plugin's `describe()`; absent when unavailable or not described. */
  readonly detail?: string;
}
