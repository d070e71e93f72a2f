import { BackendUnavailableError, OverparamError, UnknownNameError, type ErrorCode } from '../errors';
import { tf } from '../tf';
import { defaultBackendTraits, defaultWorkload, type BackendPlugin, type BackendSelection, type BackendSettings, type BackendStatus, type BackendTraits, type Platform, type Workload } from './types';

/**
 * The backend registry. Plugin packages export plain `BackendPlugin` objects; applications (the
 * CLI, tests) register the ones they ship with and then `selectBackend('auto' | name)`.
 */
const plugins = new Map<string, BackendPlugin>();

export function registerBackend(plugin: BackendPlugin): void {
  plugins.set(plugin.name, plugin);
}

export function registeredBackends(): BackendPlugin[] {
  return [...plugins.values()].sort((a, b) => b.priority - a.priority);
}

export function currentPlatform(): Platform {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return proc?.versions?.node !== undefined ? 'node' : 'browser';
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Activations run one at a time: the runs of a replica group prepare concurrently in one process,
 * and a second `tf.setBackend('wasm')` while the first is still initializing returns false.
 */
let activations: Promise<unknown> = Promise.resolve();

function activate(plugin: BackendPlugin, workload: Workload = defaultWorkload, sameSettings = false): Promise<void> {
  const next = activations.then(async () => {
    if (sameSettings) checkSettings(plugin, workload);
    await plugin.load(workload);
    if (tf.getBackend() !== plugin.tfName) {
      throw new BackendUnavailableError(plugin.name, `tfjs did not activate '${plugin.tfName}' after loading it`);
    }
  });
  activations = next.catch(() => undefined);
  return next;
}

export interface SelectBackendOptions {
  /** What the work ahead is, for the settings a backend fixes when it loads; default: a solo run of a small dense net. */
  readonly workload?: Workload;
  /**
   * Refuse (BACKEND_SETTINGS) rather than run `workload` on a backend this process already loaded
   * with other settings (`BackendPlugin.plannedSettings`): a sweep worker asks this, and the
   * sweep answers the refusal with a fresh worker process, which loads with the workload's own.
   */
  readonly sameSettings?: boolean;
}

/** The code of the refusal `sameSettings` asks for. */
export const BACKEND_SETTINGS = 'BACKEND_SETTINGS' satisfies ErrorCode;

function checkSettings(plugin: BackendPlugin, workload: Workload): void {
  const now = plugin.settings?.() ?? {};
  const planned = plugin.plannedSettings?.(workload);
  if (planned === undefined || Object.keys(now).length === 0) return;
  const differing = [...new Set([...Object.keys(now), ...Object.keys(planned)])].filter((k) => now[k] !== planned[k]);
  if (differing.length > 0) {
    const show = (s: BackendSettings) => differing.map((k) => `${k}=${String(s[k])}`).join(', ');
    throw new OverparamError(BACKEND_SETTINGS, `${plugin.name} is loaded in this process with ${show(now)}, and this work wants ${show(planned)}; run it in a fresh process`);
  }
}

function selected(plugin: BackendPlugin, skipped: BackendSelection['skipped']): BackendSelection {
  return { name: plugin.name, tfName: plugin.tfName, skipped, settings: plugin.settings?.() ?? {} };
}

/**
 * Activates a backend. `auto` tries every registered backend for this platform, best first, and
 * returns the first that loads, with the reasons the better ones failed. A name loads exactly that
 * backend or throws a typed error saying what to install.
 */
export async function selectBackend(request: string = 'auto', options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const { workload } = options;
  const platform = currentPlatform();
  if (request !== 'auto') {
    const plugin = plugins.get(request);
    if (plugin === undefined) {
      throw new UnknownNameError('BACKEND_UNKNOWN', 'backend', request, ['auto', ...plugins.keys()]);
    }
    if (!plugin.platforms.includes(platform)) {
      throw new BackendUnavailableError(plugin.name, `it does not run on ${platform}; it runs on ${plugin.platforms.join(', ')}`);
    }
    try {
      await activate(plugin, workload, options.sameSettings);
    } catch (e) {
      if (e instanceof OverparamError) throw e;
      throw new BackendUnavailableError(plugin.name, reasonOf(e), { cause: e });
    }
    return selected(plugin, []);
  }

  const skipped: { name: string; reason: string }[] = [];
  for (const plugin of registeredBackends()) {
    if (!plugin.platforms.includes(platform)) {
      skipped.push({ name: plugin.name, reason: `does not run on ${platform}` });
      continue;
    }
    try {
      await activate(plugin, workload, options.sameSettings);
      return selected(plugin, skipped);
    } catch (e) {
      // The best backend is here but loaded otherwise: a fresh process gets it; a worse one is no answer.
      if ((e as { code?: unknown }).code === BACKEND_SETTINGS) throw e;
      skipped.push({ name: plugin.name, reason: reasonOf(e) });
    }
  }
  throw new OverparamError(
    'NO_BACKEND',
    `no backend could be loaded on ${platform}: ` +
      (skipped.length === 0 ? 'none is registered (register @overparam/backend-cpu at least)' : skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')),
  );
}

/**
 * Reports every registered backend and whether it can be loaded here. Loading is the only
 * reliable test, so this activates each in turn and then restores the backend that was active.
 */
export async function backendStatuses(): Promise<BackendStatus[]> {
  const platform = currentPlatform();
  const before = plugins.size > 0 ? safeGetBackend() : undefined;
  const out: BackendStatus[] = [];
  for (const plugin of registeredBackends()) {
    const base = { name: plugin.name, priority: plugin.priority, platforms: plugin.platforms, packageName: plugin.packageName };
    if (!plugin.platforms.includes(platform)) {
      out.push({ ...base, available: false, reason: `does not run on ${platform}` });
      continue;
    }
    try {
      await activate(plugin);
      const detail = plugin.describe?.();
      out.push({ ...base, available: true, ...(detail === undefined ? {} : { detail }) });
    } catch (e) {
      out.push({ ...base, available: false, reason: reasonOf(e) });
    }
  }
  if (before !== undefined) await tf.setBackend(before);
  return out;
}

function safeGetBackend(): string | undefined {
  try {
    return tf.getBackend();
  } catch {
    return undefined;
  }
}

/** The name of the active backend in our terms (falls back to the tfjs name). */
export function activeBackendName(): string {
  const tfName = tf.getBackend();
  for (const plugin of plugins.values()) if (plugin.tfName === tfName) return plugin.name;
  return tfName;
}

/**
 * The traits of the active tfjs backend, as its plugin declares them (defaults for a backend
 * activated outside the registry). Read per call, so switching backends takes effect at once.
 */
export function activeBackendTraits(): BackendTraits {
  const tfName = tf.getBackend();
  for (const plugin of plugins.values()) if (plugin.tfName === tfName) return { ...defaultBackendTraits, ...plugin.traits };
  return defaultBackendTraits;
}

/**
 * The traits of the backend a run asking for `request` will run on, known before any backend
 * loads (a sweep plans its replica groups in a process that may never load it): a named plugin's
 * declared traits; for `auto`, those of the best plugin for this platform that says it is
 * installed (`BackendPlugin.installed`). An unknown name gets the defaults: its run fails with a
 * typed error anyway.
 */
export async function plannedBackendTraits(request: string): Promise<BackendTraits> {
  const platform = currentPlatform();
  const candidates = request === 'auto' ? registeredBackends().filter((p) => p.platforms.includes(platform)) : [plugins.get(request)].filter((p) => p !== undefined);
  for (const plugin of candidates) {
    if (request === 'auto' && plugin.installed !== undefined && !(await plugin.installed())) continue;
    return { ...defaultBackendTraits, ...plugin.traits };
  }
  return defaultBackendTraits;
}
