import { architectureNames } from '@overparam/architectures';
import { parseRunConfig, type RunConfigInput } from '@overparam/experiments';
import { UPLOADED_PREFIX } from './uploaded-model';

/**
 * Everything the page shows and trains: a list of run configs, side by side. It lives in the
 * page's address (`#runs=<JSON>`), so a link reproduces the runs: same configs, same seeds.
 */
export interface PlaygroundState {
  readonly runs: readonly RunConfigInput[];
}

/** How often the live measurements run unless a run says otherwise. */
export const DEFAULT_MEASURE_EVERY = 25;

/**
 * What the playground measures while training: the paper's minibatch-pair cosines (their values
 * too, for the density), λ_min/λ_max of the NTK of a small fixed batch, and the weight movement;
 * each also at step 0. Sizes are kept small so measuring does not dominate training in a browser.
 */
export function liveMetrics(every: number): NonNullable<RunConfigInput['metrics']> {
  return [
    { name: 'minibatch-confusion', every, start: true, pairs: 20, batchSize: 64, values: true },
    { name: 'spectrum', every, start: true, n: 32 },
    { name: 'weight-movement', every, start: true },
  ];
}

/** The measurement interval of a run's metrics (they share one). */
export function measureEvery(config: RunConfigInput): number {
  const first = config.metrics?.[0] as { every?: number } | undefined;
  return first?.every ?? DEFAULT_MEASURE_EVERY;
}

/**
 * The run a fresh page trains: MLP-10-100 on the MNIST digits (Sankararaman et al.'s deep MLP).
 * Only what differs from the run config's defaults is written; the form shows the rest from them.
 */
export const defaultRun: RunConfigInput = {
  arch: 'mlp',
  archOptions: { depth: 10, width: 100 },
  data: 'mnist',
  steps: 300,
  logEvery: 10,
  metrics: liveMetrics(DEFAULT_MEASURE_EVERY),
};

/**
 * The run with another data set: that set's options are another's no longer, and the loss goes
 * back to the new set's default (`defaultLoss`: cross-entropy for classes, square for real
 * targets), so switching to a regression set does not keep cross-entropy and fail.
 */
export function withData(config: RunConfigInput, data: string): RunConfigInput {
  const { loss: _loss, ...rest } = config;
  return { ...rest, data, dataOptions: {} };
}

export const defaultState: PlaygroundState = { runs: [defaultRun] };

const HASH_KEY = 'runs';

export function stateToHash(state: PlaygroundState): string {
  return `#${new URLSearchParams({ [HASH_KEY]: JSON.stringify(state.runs) }).toString()}`;
}

/** The state a hash holds, or the default state (and why) when it holds none or a damaged one. */
export function stateFromHash(hash: string): { state: PlaygroundState; problem?: string } {
  const text = new URLSearchParams(hash.replace(/^#/, '')).get(HASH_KEY);
  if (text === null) return { state: defaultState };
  try {
    const runs = JSON.parse(text) as unknown;
    if (!Array.isArray(runs) || runs.length === 0 || !runs.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
      return { state: defaultState, problem: 'the link holds no list of run configs; showing the default run' };
    }
    // A link is input like any other: a config that would not train (an unknown arch, a negative
    // rate) is named here, before the page builds a card for it.
    for (const [i, run] of runs.entries()) {
      const arch = (run as { arch?: unknown }).arch;
      // A link carries settings, not files: an uploaded model is gone once the page is reloaded.
      if (typeof arch === 'string' && arch.startsWith(UPLOADED_PREFIX) && !architectureNames().includes(arch)) {
        return { state: defaultState, problem: `run ${i + 1} of the link trains the model you loaded, ${arch.slice(UPLOADED_PREFIX.length)}, which a link cannot carry; load its model.json and weight shards again. Showing the default run` };
      }
      try {
        parseRunConfig(run);
      } catch (e) {
        return { state: defaultState, problem: `run ${i + 1} of the link is not a valid run config (${e instanceof Error ? e.message : String(e)}); showing the default run` };
      }
    }
    return { state: { runs: runs as RunConfigInput[] } };
  } catch {
    return { state: defaultState, problem: 'the link was cut short (its runs are not valid JSON); showing the default run' };
  }
}
