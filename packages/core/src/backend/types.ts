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
  /** Loads the tfjs backend, registers it with tfjs and makes it active. */
  load(): Promise<void>;
}

export interface BackendSelection {
  /** Our name of the backend now active. */
  readonly name: string;
  /** The name tfjs reports for it. */
  readonly tfName: string;
  /** For every other candidate that was considered: why it was not chosen. */
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

export interface BackendStatus {
  readonly name: string;
  readonly priority: number;
  readonly platforms: readonly Platform[];
  readonly packageName: string;
  readonly available: boolean;
  /** Why it is unavailable; absent when available. */
  readonly reason?: string;
}
