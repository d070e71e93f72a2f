/**
 * `npm run bench -- --vs pytorch`: the same workloads in PyTorch (pytorch_bench.py) and on each of
 * our backends, in one run, with ratio lines (speed of ours / speed of PyTorch: > 1 means we are
 * faster) and whether each meets its target (issues 11 and 21). The rows are in vs-rows.ts; each
 * of ours runs in a process of its own (vs-row.ts).
 *
 * PyTorch is `OVERPARAM_BENCH_PYTHON` (a venv with the PyTorch 2.x CPU wheel, see the README) or
 * Debian's python3-torch, with OpenBLAS's OpenMP build put on LD_LIBRARY_PATH for the latter (the
 * reference BLAS it pulls in is 10–40× slower and never the comparison; the wheel brings its own
 * MKL and oneDNN), 2 threads, and OMP_WAIT_POLICY=PASSIVE: on a machine shared with other jobs,
 * OpenMP's spinning waits made PyTorch 20× slower (MLP-3-100: 17 steps/s active, 387 passive, 253
 * on one thread).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { symmetricEigenvalues, symmetricExtremeEigenvalues } from '@overparam/metrics';
import { parseLines, runProcess, stderrTail, TSX } from './child-process';
import { emitError, emitMeasurement, emitSkipped, log } from './emit';
import type { Summary } from './measure';
import { randomGram } from './spectrum';
import type { BenchSettings } from './suite';
import { seconds, vsRows, type Measured, type Row, type Unit } from './vs-rows';

const SUITE = 'vs-pytorch';
const here = dirname(fileURLToPath(import.meta.url));
const OPENBLAS_OPENMP = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
const PYTORCH_THREADS = 2;

/** λ_min and λ_max of the same n = 1024 Gram: an absolute target, no PyTorch counterpart needed. */
const EXTREMES_TARGET_SECONDS = 0.1;
/** Gram rows run in a process of their own so that the peak RSS is theirs; 2 GiB is the issue's bound for MLP-3-1000. */
const GRAM_RSS_LIMIT = 2 * 1024 ** 3;

interface PytorchResult extends Summary {
  readonly row: string;
  readonly unit: Unit;
  readonly [field: string]: unknown;
}

/** Runs the PyTorch rows; Gram rows one per process. Resolves to the results by row, or to why PyTorch cannot run. */
async function pytorchResults(selected: readonly Row[], settings: BenchSettings): Promise<Map<string, PytorchResult> | string> {
  const python = process.env.OVERPARAM_BENCH_PYTHON ?? '/usr/bin/python3';
  const env = {
    ...process.env,
    LD_LIBRARY_PATH: [OPENBLAS_OPENMP, process.env.LD_LIBRARY_PATH].filter((p) => p !== undefined && p !== '').join(':'),
    OMP_NUM_THREADS: String(PYTORCH_THREADS),
    OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE',
  };
  const probe = await runProcess(python, ['-c', 'import torch, ctypes.util; print(torch.__version__)'], env, 120_000);
  if (probe.code !== 0) return `PyTorch does not import with ${python} (${probe.stderr.trim().split('\n').pop() ?? ''}); point OVERPARAM_BENCH_PYTHON at a venv with the PyTorch 2.x CPU wheel (tools/bench/README.md), or \`apt-get install python3-torch libopenblas0-openmp\``;
  const gramRows = selected.filter((r) => r.name.startsWith('loss Gram')).map((r) => r.name);
  const groups = [selected.filter((r) => !gramRows.includes(r.name)).map((r) => r.name), ...gramRows.map((r) => [r])].filter((g) => g.length > 0);
  const results = new Map<string, PytorchResult>();
  for (const rows of groups) {
    log(`${SUITE}: PyTorch ${rows.join(', ')}`);
    const args = [join(here, 'pytorch_bench.py'), '--rows', rows.join(';'), '--threads', String(PYTORCH_THREADS), ...(settings.quick ? ['--quick'] : [])];
    const result = await runProcess(python, args, env, 30 * 60_000);
    for (const line of parseLines(result.stdout)) results.set(String(line.row), line as unknown as PytorchResult);
    if (result.code !== 0) log(`${SUITE}: PyTorch exited with ${result.code}: ${stderrTail(result.stderr)}`);
  }
  return results;
}

/** Our row in a process of its own (vs-row.ts): its measurement, or why it does not run here. */
async function oursInProcess(row: Row, backend: string, settings: BenchSettings): Promise<Measured | string> {
  const args = ['--conditions=@overparam/source', join(here, 'vs-row.ts'), backend, row.name, ...(settings.quick ? ['--quick'] : [])];
  const result = await runProcess(TSX, args, process.env, 30 * 60_000);
  const line = parseLines(result.stdout)[0];
  if (line === undefined) throw new Error(`the row's process failed: ${stderrTail(result.stderr)}`);
  if ('skipped' in line) return String(line.skipped);
  if ('error' in line) throw new Error(String(line.error));
  const measured = line as unknown as Measured;
  if (typeof measured.peakRssBytes !== 'number') return measured;
  return { ...measured, peakRssUnder2GiB: measured.peakRssBytes < GRAM_RSS_LIMIT };
}

/** Every eigenvalue and the two extremes of the bench's random Gram, in plain JS float64 (the extremes get a line of their own). */
async function eigenvalues(settings: BenchSettings): Promise<Measured> {
  const n = 1024;
  const matrix = randomGram(n);
  const full = await seconds(async () => symmetricEigenvalues({ size: n, matrix }), Math.min(3, settings.reps));
  let extremes: ReturnType<typeof symmetricExtremeEigenvalues> | undefined;
  const lanczos = await seconds(async () => (extremes = symmetricExtremeEigenvalues({ size: n, matrix })), Math.min(3, settings.reps));
  emitMeasurement({
    suite: SUITE,
    name: 'extreme eigenvalues',
    backend: 'js-float64',
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

function speedRatio(row: Row, a: Summary, b: Summary): { median: number; min: number; max: number } {
  // steps/s: ours / theirs; seconds: theirs / ours. min and max pair the extremes (a bound, not a sample).
  if (row.unit === 'steps/s') return { median: a.median / b.median, min: a.min / b.max, max: a.max / b.min };
  return { median: b.median / a.median, min: b.min / a.max, max: b.max / a.min };
}

async function rowsOn(backend: string, rows: readonly Row[], pytorch: Map<string, PytorchResult>, settings: BenchSettings): Promise<void> {
  for (const row of rows) {
    log(`${SUITE} ${row.name} on ${backend}`);
    let result: Measured | string;
    try {
      result = backend === 'js-float64' ? await eigenvalues(settings) : await oursInProcess(row, backend, settings);
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

/** The rows whose names contain any of `filters` (all without filters); a filter that matches none is a usage mistake. */
export function selectVsRows(filters: readonly string[] | undefined): readonly Row[] {
  if (filters === undefined) return vsRows;
  const selected = vsRows.filter((r) => filters.some((f) => r.name.includes(f)));
  if (selected.length === 0) throw new Error(`--row ${filters.join(',')}: no row matches; rows: ${vsRows.map((r) => r.name).join('; ')}`);
  return selected;
}

export async function runVsPytorch(backends: readonly string[], settings: BenchSettings, selected: readonly Row[] = vsRows): Promise<void> {
  const pytorch = await pytorchResults(selected, settings);
  if (typeof pytorch === 'string') {
    log(`${SUITE}: skipped (${pytorch})`);
    emitSkipped(SUITE, 'pytorch', pytorch);
    return;
  }
  for (const result of pytorch.values()) emitMeasurement({ suite: SUITE, name: result.row, backend: 'pytorch', ...result });
  const tensorRows = selected.filter((r) => r.name !== 'eigenvalues');
  for (const backend of backends) await rowsOn(backend, tensorRows, pytorch, settings);
  // Plain JS float64, the same whatever the tensor backend: once.
  await rowsOn(
    'js-float64',
    selected.filter((r) => r.name === 'eigenvalues'),
    pytorch,
    settings,
  );
}
