/**
 * Suite `replicas`: replica-steps per second of R runs trained as one batched model
 * (`trainReplicas`), for R ∈ {1, 4, 10, 32}, against the same model trained alone with `train()`
 * (the `solo` line; `speedup` = replicas / solo). Workloads: MLP-3-100, MLP-10-100 and
 * MLP-100-100 as in `mlp-train` (batch 128, 784 inputs, 10 classes), and deep linear nets of
 * depth 2, 3, 8 and hidden width 1 or 100 on full-batch ℓ4 regression of the lp-regression
 * stand-in (2,565 × 128), as the c9/c10 presets train them.
 *
 * On node the suite runs with `TF_ENABLE_ONEDNN_OPTS=1` unless the caller set the variable (see
 * `env` below and README): batched matMuls are where oneDNN pays off (issue 21, finding 0), and
 * every line records the value it ran with. The solo line runs in a process of its own
 * (replica-solo.ts), loaded with the settings the backend picks for that solo run (oneDNN off
 * for a small dense net), so `speedup` compares a group with the best a run alone gets.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { architectureWorkload, buildModel } from '@overparam/architectures';
import { tf, train, trainReplicas, type Dataset, type Model, type TrainConfig, type Workload as BackendWorkload } from '@overparam/core';
import { loadDataSet } from '@overparam/data';
import { parseLines, runProcess, stderrTail, TSX } from './child-process';
import { emitError, emitMeasurement, log } from './emit';
import { calibrateSteps, measureRate } from './measure';
import { BATCH, benchData, benchMlp, LR, mlpParameters } from './mlp-workload';
import type { Suite, SuiteContext } from './suite';

const SUITE = 'replicas';
export const REPLICA_COUNTS = [1, 4, 10, 32] as const;

export interface Workload {
  readonly name: string;
  readonly parameters: Record<string, unknown>;
  /** What the backend is told when it loads for this net trained alone (node picks oneDNN from it). */
  readonly solo: BackendWorkload;
  model(seed: number): Model;
  data(): Dataset;
  config(seed: number, steps: number): TrainConfig;
}

const mlpWorkload = (depth: number, width: number): Workload => ({
  name: `MLP-${depth}-${width}`,
  parameters: mlpParameters(depth, width),
  solo: { ...architectureWorkload('mlp', { depth, width, inputDim: 784, outputDim: 10 }), replicas: 1 },
  model: (seed) => benchMlp(depth, width, seed),
  data: benchData,
  // Each replica its own seed (minibatch order) and rate, as a sweep's cells.
  config: (seed, steps) => ({ steps, batchSize: BATCH, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: LR * (1 + seed / 10) }, seed, logEvery: steps }),
});

let standIn: Dataset | undefined;
const deepLinearWorkload = (depth: number, width: number): Workload => ({
  name: `DLN-${depth}-${width}`,
  parameters: { model: `DLN-${depth}-${width}`, depth, width, data: 'lp-regression', batchSize: 'full', loss: 'l4', optimizer: 'sgd' },
  solo: { ...architectureWorkload('deep-linear', { depth, width, inputDim: 128, outputDim: 1 }), replicas: 1 },
  model: (seed) => buildModel('deep-linear', { depth, width, inputDim: 128, outputDim: 1, initStd: 0.01 }, seed),
  data: () => (standIn ??= loadDataSet('lp-regression')),
  config: (seed, steps) => ({ steps, batchSize: 2565, loss: 'l4', schedule: { kind: 'constant', lr: 1e-3 * (1 + seed / 10) }, seed, logEvery: steps }),
});

export const workloads: readonly Workload[] = [
  mlpWorkload(3, 100),
  mlpWorkload(10, 100),
  mlpWorkload(100, 100),
  ...[2, 3, 8].flatMap((depth) => [1, 100].map((width) => deepLinearWorkload(depth, width))),
];

/** Replica-steps/s of `replicas` runs as one group, or of one run alone with `train()` (replicas = 0). */
export async function measure(workload: Workload, replicas: number, context: SuiteContext, backendSettings?: Readonly<Record<string, unknown>>): Promise<number | undefined> {
  const name = replicas === 0 ? 'solo' : `R=${replicas}`;
  const models = Array.from({ length: Math.max(1, replicas) }, (_, r) => workload.model(r));
  const data = workload.data();
  try {
    const run = async (steps: number) => {
      if (replicas === 0) {
        const result = await train(models[0]!, data, workload.config(0, steps));
        if (result.steps !== steps) throw new Error(`train stopped after ${result.steps} of ${steps} steps (${result.outcome})`);
        return;
      }
      const results = await trainReplicas(models.map((model, r) => ({ model, data, config: workload.config(r, steps) })));
      const short = results.find((r) => r.steps !== steps);
      if (short !== undefined) throw new Error(`a replica stopped after ${short.steps} of ${steps} steps (${short.outcome})`);
    };
    const numTensorsBefore = tf.memory().numTensors;
    const { steps } = await calibrateSteps(run, context.settings);
    const summary = await measureRate(run, steps, context.settings.reps, 0);
    const scale = Math.max(1, replicas);
    const rate = { median: summary.median * scale, min: summary.min * scale, max: summary.max * scale, reps: summary.reps };
    emitMeasurement({
      suite: SUITE,
      name,
      backend: context.backend,
      unit: 'replica-steps/s',
      ...rate,
      ...workload.parameters,
      replicas: scale,
      steps,
      numTensorsBefore,
      numTensorsAfter: tf.memory().numTensors,
      onednn: context.backend === 'node' ? (process.env.TF_ENABLE_ONEDNN_OPTS ?? null) : null,
      ...(backendSettings !== undefined ? { backendSettings } : {}),
    });
    return rate.median;
  } catch (e) {
    emitError(SUITE, name, context.backend, e, { model: workload.name, replicas });
    return undefined;
  } finally {
    for (const m of models) m.dispose();
  }
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The solo line, measured by replica-solo.ts in a process of its own: this one loaded its backend
 * for replica groups (oneDNN on), which slows a small dense net alone. Its line is passed through.
 */
async function soloInProcess(workload: Workload, context: SuiteContext): Promise<number | undefined> {
  const args = ['--conditions=@overparam/source', join(here, 'replica-solo.ts'), context.backend, workload.name, ...(context.settings.quick ? ['--quick'] : [])];
  // The child picks oneDNN itself, as a solo run does; the suite's setting must not reach it.
  const { TF_ENABLE_ONEDNN_OPTS: _forced, ...env } = process.env;
  const result = await runProcess(TSX, args, env, 30 * 60_000);
  const line = parseLines(result.stdout)[0];
  if (line === undefined) {
    emitError(SUITE, 'solo', context.backend, `the solo process exited with ${result.code}: ${stderrTail(result.stderr)}`, { model: workload.name });
    return undefined;
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return typeof line.median === 'number' ? line.median : undefined;
}

export const replicasSuite: Suite = {
  name: SUITE,
  description: 'replica-steps/s of R runs trained as one batched model (R = 1, 4, 10, 32) vs one run alone: MLP-3/10/100-100 batch 128, deep linear nets on full-batch ℓ4',
  // Read by run.ts before any backend loads: libtensorflow reads it once.
  env: { TF_ENABLE_ONEDNN_OPTS: '1' },
  async run(context) {
    const chosen = workloads.filter((w) => context.models === undefined || context.models.some((m) => w.name.includes(m)));
    if (chosen.length === 0) throw new Error(`no workload matches --model ${context.models!.join(',')}; workloads: ${workloads.map((w) => w.name).join(', ')}`);
    for (const workload of chosen) {
      log(`${SUITE}: ${workload.name}`);
      const solo = await soloInProcess(workload, context);
      for (const replicas of context.settings.quick ? [1, 4, 10] : REPLICA_COUNTS) {
        const rate = await measure(workload, replicas, context);
        if (solo !== undefined && rate !== undefined) {
          const ratio = rate / solo;
          emitMeasurement({ suite: SUITE, name: `R=${replicas}-vs-solo`, backend: context.backend, unit: 'ratio', median: ratio, min: ratio, max: ratio, reps: 1, model: workload.name, replicas });
        }
      }
    }
  },
};
