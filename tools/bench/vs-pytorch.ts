/**
 * `npm run bench -- --vs pytorch`: the same workloads in PyTorch (pytorch_bench.py) and on each of
 * our backends, in one run, with ratio lines (speed of ours / speed of PyTorch: > 1 means we are
 * faster) and whether each meets its target (issue 11).
 *
 * PyTorch is Debian's python3-torch with OpenBLAS's OpenMP build chosen through LD_LIBRARY_PATH
 * (the reference BLAS it pulls in is 10–40× slower and never the comparison), 2 threads, and
 * OMP_WAIT_POLICY=PASSIVE: on a machine shared with other jobs, OpenMP's spinning waits made
 * PyTorch 20× slower (MLP-3-100: 17 steps/s active, 387 passive, 253 on one thread).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel } from '@overparam/architectures';
import { train, type Dataset, type Model } from '@overparam/core';
import { minibatchConfusion, symmetricEigenvalues, symmetricExtremeEigenvalues } from '@overparam/metrics';
import { activate } from './backends';
import { emitError, emitMeasurement, emitSkipped, log } from './emit';
import { calibrateSteps, measureRate, summarize, timeSeconds, type Summary } from './measure';
import { randomGram } from './spectrum';
import type { BenchSettings } from './suite';
import { randomInputs, randomLabels, syntheticClassification } from './synthetic';

const SUITE = 'vs-pytorch';
const BATCH = 128;
const here = dirname(fileURLToPath(import.meta.url));
const OPENBLAS_OPENMP = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
const PYTORCH_THREADS = 2;

type Unit = 'steps/s' | 's';
interface Row {
  readonly name: string;
  readonly unit: Unit;
  /** Minimum ratio (ours / PyTorch, in speed) per backend; absent: no target there. */
  readonly targets: Readonly<Record<string, number>>;
}

/** The targets of issue 11: node at PyTorch speed; wasm at half of it (CNN/WRN 0.3). */
const mlpTargets = { node: 1, wasm: 0.5 };
const convTargets = { node: 1, wasm: 0.3 };
export const vsRows: readonly Row[] = [
  { name: 'train MLP-3-100', unit: 'steps/s', targets: mlpTargets },
  { name: 'train MLP-10-100', unit: 'steps/s', targets: mlpTargets },
  { name: 'train MLP-100-100', unit: 'steps/s', targets: mlpTargets },
  { name: 'train MLP-10-1000', unit: 'steps/s', targets: mlpTargets },
  { name: 'train CNN-16-2', unit: 'steps/s', targets: convTargets },
  { name: 'train WRN-16-2', unit: 'steps/s', targets: convTargets },
  { name: 'minibatch cosines MLP-10-100', unit: 's', targets: { node: 1 } },
  { name: 'loss Gram MLP-3-100', unit: 's', targets: mlpTargets },
  { name: 'loss Gram MLP-3-1000', unit: 's', targets: mlpTargets },
  // Every eigenvalue within 2× LAPACK's time; plain JS, so the same on every backend.
  { name: 'eigenvalues', unit: 's', targets: { 'js-float64': 0.5 } },
];
/** λ_min and λ_max of the same n = 1024 Gram: an absolute target, no PyTorch counterpart needed. */
const EXTREMES_TARGET_SECONDS = 0.05;
/** Gram rows run in a process of their own so that the peak RSS is theirs; 2 GiB is the issue's bound for MLP-3-1000. */
const GRAM_RSS_LIMIT = 2 * 1024 ** 3;

interface PytorchResult extends Summary {
  readonly row: string;
  readonly unit: Unit;
  readonly [field: string]: unknown;
}

function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(command, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ code: null, stdout, stderr: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

function parseLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Runs the PyTorch rows; Gram rows one per process. Resolves to the results by row, or to why PyTorch cannot run. */
async function pytorchResults(settings: BenchSettings): Promise<Map<string, PytorchResult> | string> {
  const python = process.env.OVERPARAM_BENCH_PYTHON ?? '/usr/bin/python3';
  const env = {
    ...process.env,
    LD_LIBRARY_PATH: [OPENBLAS_OPENMP, process.env.LD_LIBRARY_PATH].filter((p) => p !== undefined && p !== '').join(':'),
    OMP_NUM_THREADS: String(PYTORCH_THREADS),
    OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE',
  };
  const probe = await runProcess(python, ['-c', 'import torch, ctypes.util; print(torch.__version__)'], env, 120_000);
  if (probe.code !== 0) return `PyTorch does not import with ${python} (${probe.stderr.trim().split('\n').pop() ?? ''}); install it with \`apt-get install python3-torch libopenblas0-openmp\``;
  const gramRows = vsRows.filter((r) => r.name.startsWith('loss Gram')).map((r) => r.name);
  const groups = [vsRows.filter((r) => !gramRows.includes(r.name)).map((r) => r.name), ...gramRows.map((r) => [r])];
  const results = new Map<string, PytorchResult>();
  for (const rows of groups) {
    log(`${SUITE}: PyTorch ${rows.join(', ')}`);
    const args = [join(here, 'pytorch_bench.py'), '--rows', rows.join(','), '--threads', String(PYTORCH_THREADS), ...(settings.quick ? ['--quick'] : [])];
    const result = await runProcess(python, args, env, 30 * 60_000);
    for (const line of parseLines(result.stdout)) results.set(String(line.row), line as unknown as PytorchResult);
    if (result.code !== 0) log(`${SUITE}: PyTorch exited with ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return results;
}

function mlpModel(depth: number, width: number): Model {
  return buildModel('mlp', { depth, width, inputDim: 784, outputDim: 10, activation: 'tanh', init: 'glorot-normal' }, 0);
}

async function trainRate(model: Model, data: Dataset, settings: BenchSettings, single: boolean): Promise<Summary & { steps: number }> {
  const run = async (steps: number) => {
    const result = await train(model, data, { steps, batchSize: BATCH, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.01 }, seed: 0, logEvery: steps });
    if (result.steps !== steps) throw new Error(`train stopped after ${result.steps} of ${steps} steps (${result.outcome})`);
  };
  if (single) return { ...(await measureRate(run, 1, settings.reps, 1)), steps: 1 };
  const { steps } = await calibrateSteps(run, settings);
  return { ...(await measureRate(run, steps, settings.reps, 0)), steps };
}

async function seconds(fn: () => Promise<unknown>, reps: number): Promise<Summary> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) samples.push(await timeSeconds(async () => void (await fn())));
  return summarize(samples);
}


type Measured = Summary & { readonly [field: string]: unknown };

/** Our measurement of one row on the active backend (with extra fields for its line), or why it does not run there. */
async function ours(row: Row, backend: string, settings: BenchSettings): Promise<Measured | string> {
  const mlp = /^train MLP-(\d+)-(\d+)$/.exec(row.name);
  if (mlp !== null) {
    const model = mlpModel(Number(mlp[1]), Number(mlp[2]));
    try {
      return { ...(await trainRate(model, syntheticClassification(16 * BATCH, 784, 10), settings, false)) };
    } finally {
      model.dispose();
    }
  }
  const conv = /^train (CNN|WRN)-16-2$/.exec(row.name);
  if (conv !== null) {
    if (backend === 'cpu') return 'a step takes minutes on the cpu backend (see the wrn-train suite)';
    const skip = conv[1] === 'WRN';
    const model = buildModel(skip ? 'wrn' : 'cnn', { depth: 16, widthFactor: 2, batchNorm: skip, inputShape: [32, 32, 3], classes: 10 }, 0);
    const n = 2 * BATCH;
    const data: Dataset = { name: 'images', inputShape: [32, 32, 3], task: 'classification', numClasses: 10, train: { x: randomInputs(n * 3072, 3), y: randomLabels(n, 10, 4), n } };
    try {
      return { ...(await trainRate(model, data, settings, true)) };
    } finally {
      model.dispose();
    }
  }
  if (row.name === 'minibatch cosines MLP-10-100') {
    const model = mlpModel(10, 100);
    const pairs = settings.quick ? 10 : 100;
    try {
      const data = syntheticClassification(2048, 784, 10, 3);
      return { ...(await seconds(() => minibatchConfusion(model, data, { pairs, batchSize: BATCH, loss: 'softmax-cross-entropy', seed: 0, method: 'direct' }), settings.reps)), pairs };
    } finally {
      model.dispose();
    }
  }
  const gram = /^loss Gram MLP-(\d+)-(\d+)$/.exec(row.name);
  if (gram !== null) {
    const tsx = join(here, '..', '..', 'node_modules', '.bin', 'tsx');
    const args = ['--conditions=@overparam/source', join(here, 'gram-rss.ts'), backend, gram[1]!, gram[2]!, '1024', String(Math.min(3, settings.reps))];
    const result = await runProcess(tsx, args, process.env, 30 * 60_000);
    const line = parseLines(result.stdout)[0];
    if (line === undefined || 'skipped' in line) throw new Error(`the Gram process failed: ${String(line?.skipped ?? result.stderr.trim().split('\n').slice(-3).join(' | '))}`);
    const peak = Number(line.peakRssBytes);
    return { ...(line as unknown as Summary), n: 1024, peakRssBytes: peak, peakRssUnder2GiB: peak < GRAM_RSS_LIMIT };
  }
  if (row.name === 'eigenvalues') {
    const n = 1024;
    const matrix = randomGram(n);
    const full = await seconds(async () => symmetricEigenvalues({ size: n, matrix }), Math.min(3, settings.reps));
    let extremes: ReturnType<typeof symmetricExtremeEigenvalues> | undefined;
    const lanczos = await seconds(async () => (extremes = symmetricExtremeEigenvalues({ size: n, matrix })), Math.min(3, settings.reps));
    emitMeasurement({
      suite: SUITE,
      name: 'extreme eigenvalues',
      backend,
      unit: 's',
      ...lanczos,
      n,
      method: extremes?.method,
      iterations: extremes?.iterations,
      target: EXTREMES_TARGET_SECONDS,
      met: lanczos.median <= EXTREMES_TARGET_SECONDS,
      note: 'λ_min and λ_max of the same random Gram A·Aᵀ (A: n×(n+8), a dense bottom edge: the hard case for Lanczos)',
    });
    return { ...full, n, dtype: 'float64' };
  }
  throw new Error(`no implementation for row '${row.name}'`);
}

function speedRatio(row: Row, a: Summary, b: Summary): { median: number; min: number; max: number } {
  // steps/s: ours / theirs; seconds: theirs / ours. min and max pair the extremes (a bound, not a sample).
  if (row.unit === 'steps/s') return { median: a.median / b.median, min: a.min / b.max, max: a.max / b.min };
  return { median: b.median / a.median, min: b.min / a.max, max: b.max / a.min };
}

async function rowsOn(backend: string, rows: readonly Row[], pytorch: Map<string, PytorchResult>, settings: BenchSettings): Promise<void> {
  for (const row of rows) {
    log(`${SUITE} ${row.name} on ${backend}`);
    let result: Awaited<ReturnType<typeof ours>>;
    try {
      result = await ours(row, backend, settings);
    } catch (e) {
      emitError(SUITE, row.name, backend, e);
      continue;
    }
    if (typeof result === 'string') {
      emitSkipped(SUITE, backend, `${row.name}: ${result}`);
      continue;
    }
    emitMeasurement({ suite: SUITE, name: row.name, backend, unit: row.unit, ...result });
    const theirs = pytorch.get(row.name);
    if (theirs === undefined) continue;
    const ratio = speedRatio(row, result, theirs);
    const target = row.targets[backend];
    emitMeasurement({
      suite: SUITE,
      name: `${row.name} ours/pytorch`,
      backend,
      unit: 'ratio',
      ...ratio,
      reps: Math.min(result.reps, theirs.reps),
      target: target ?? null,
      met: target === undefined ? null : ratio.median >= target,
      note: 'speed of ours over speed of PyTorch in the same run: > 1 means ours is faster',
    });
    log(`${SUITE} ${row.name} on ${backend}: ${result.median.toPrecision(3)} ${row.unit} vs PyTorch ${theirs.median.toPrecision(3)}: ratio ${ratio.median.toFixed(2)}${target === undefined ? '' : ` (target ${target})`}`);
  }
}

export async function runVsPytorch(backends: readonly string[], settings: BenchSettings): Promise<void> {
  const pytorch = await pytorchResults(settings);
  if (typeof pytorch === 'string') {
    log(`${SUITE}: skipped (${pytorch})`);
    emitSkipped(SUITE, 'pytorch', pytorch);
    return;
  }
  for (const result of pytorch.values()) emitMeasurement({ suite: SUITE, name: result.row, backend: 'pytorch', ...result });
  const tensorRows = vsRows.filter((r) => r.name !== 'eigenvalues');
  for (const backend of backends) {
    const reason = await activate(backend);
    if (reason !== undefined) {
      emitSkipped(SUITE, backend, reason);
      continue;
    }
    await rowsOn(backend, tensorRows, pytorch, settings);
  }
  // Plain JS float64, the same whatever the tensor backend: once.
  await rowsOn(
    'js-float64',
    vsRows.filter((r) => r.name === 'eigenvalues'),
    pytorch,
    settings,
  );
}
