import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDataSet } from '@overparam/data';
import { measureMetricNames } from '@overparam/experiments';
import { metricDefinitions, metricHookNames } from '@overparam/metrics';
import { describe, expect, it } from 'vitest';
import { LONG_MEASUREMENT } from './measure-command';
import { cli, temporaryRoot } from './test-cli';

const root = await temporaryRoot('overparam-measure-');


interface Manifest {
  weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string }> }>;
}

/** The checkpoint read by hand: little-endian float32 tensors, concatenated in manifest order. */
async function readWeights(dir: string): Promise<Map<string, { shape: number[]; values: Float64Array }>> {
  const manifest = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8')) as Manifest;
  const bin = await readFile(join(dir, manifest.weightsManifest[0]!.paths[0]!));
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const out = new Map<string, { shape: number[]; values: Float64Array }>();
  let offset = 0;
  for (const w of manifest.weightsManifest[0]!.weights) {
    expect(w.dtype).toBe('float32');
    const size = w.shape.reduce((a, b) => a * b, 1);
    out.set(w.name, { shape: w.shape, values: Float64Array.from({ length: size }, (_, i) => view.getFloat32(offset + 4 * i, true)) });
    offset += 4 * size;
  }
  expect(offset).toBe(bin.byteLength);
  return out;
}

/**
 * ∇θ of one example's softmax cross-entropy for a tanh MLP, in float64 plain JS: the forward pass,
 * then backpropagation by hand (δ_out = softmax(z) − e_y; δ ← (W δ) ⊙ (1 − h²) for tanh layers).
 * Dense weights are [in, out] row-major, as core stores them.
 */
function exampleGradient(layers: Array<{ w: Float64Array; b: Float64Array; inDim: number; outDim: number }>, x: number[], label: number): Float64Array {
  const acts: Float64Array[] = [Float64Array.from(x)];
  layers.forEach((l, li) => {
    const h = acts[acts.length - 1]!;
    const z = Float64Array.from({ length: l.outDim }, (_, j) => h.reduce((s, v, i) => s + v * l.w[i * l.outDim + j]!, l.b[j]!));
    acts.push(li < layers.length - 1 ? z.map(Math.tanh) : z);
  });
  const z = acts[acts.length - 1]!;
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const total = e.reduce((a, b) => a + b, 0);
  let delta = e.map((v, j) => v / total - (j === label ? 1 : 0));
  const parts: Float64Array[] = [];
  for (let li = layers.length - 1; li >= 0; li--) {
    const l = layers[li]!;
    const a = acts[li]!;
    const gw = new Float64Array(l.inDim * l.outDim);
    for (let i = 0; i < l.inDim; i++) for (let j = 0; j < l.outDim; j++) gw[i * l.outDim + j] = a[i]! * delta[j]!;
    parts.unshift(gw, Float64Array.from(delta));
    if (li > 0) delta = Float64Array.from({ length: l.inDim }, (_, i) => (1 - a[i]! ** 2) * delta.reduce((s, d, j) => s + l.w[i * l.outDim + j]! * d, 0));
  }
  return Float64Array.from(parts.flatMap((p) => Array.from(p)));
}

describe('overparam measure', () => {
  it('writes files from which G and the confusion numbers can be recomputed without overparam', async () => {
    const out = join(root, 'confusion');
    const r = await cli('measure', '--metric', 'confusion', '--arch', 'mlp', '--depth', '2', '--width', '8', '--data', 'synthetic', '--n', '10', '--backend', 'cpu', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'measure.json'), 'utf8')) as Record<string, number>;
    const examples = JSON.parse(await readFile(join(out, 'examples.json'), 'utf8')) as { indices: number[]; inputs: number[][]; labels: number[] };
    const weights = await readWeights(join(out, 'checkpoint'));
    const gramBytes = await readFile(join(out, 'gram.f64'));
    const n = examples.indices.length;
    expect(n).toBe(10);
    expect(gramBytes.byteLength).toBe(n * n * 8);
    const gram = Float64Array.from({ length: n * n }, (_, k) => gramBytes.readDoubleLE(8 * k));

    const layers = ['0', '2', '4'].map((p) => {
      const w = weights.get(`param/${p}.w`)!;
      return { w: w.values, b: weights.get(`param/${p}.b`)!.values, inDim: w.shape[0]!, outDim: w.shape[1]! };
    });
    const grads = examples.inputs.map((x, i) => exampleGradient(layers, x, examples.labels[i]!));
    const dot = (u: Float64Array, v: Float64Array) => u.reduce((s, a, k) => s + a * v[k]!, 0);
    let scale = 0;
    let diff = 0;
    let minCos = Infinity;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const g = dot(grads[i]!, grads[j]!);
        scale = Math.max(scale, Math.abs(g));
        diff = Math.max(diff, Math.abs(g - gram[i * n + j]!));
        if (i < j) minCos = Math.min(minCos, g / Math.sqrt(dot(grads[i]!, grads[i]!) * dot(grads[j]!, grads[j]!)));
      }
    }
    // float32 network (tfjs) against the same float32 weights and inputs in float64: ~1e-6 relative.
    expect(diff / scale).toBeLessThan(1e-4);
    expect(summary.minCos).toBeCloseTo(minCos, 4);
    expect(summary.eta).toBeCloseTo(Math.max(0, -Math.min(...Array.from(gram).filter((_, k) => k % (n + 1) !== 0))), 9);
  });

  it('loads weights from --checkpoint and writes them back unchanged', async () => {
    const first = join(root, 'first');
    const second = join(root, 'second');
    const common = ['--arch', 'mlp', '--depth', '1', '--width', '6', '--data', 'synthetic', '--backend', 'cpu'];
    expect((await cli('measure', '--metric', 'gram', '--of', 'output', '--n', '4', ...common, '--seed', '1', '--out', first)).code).toBe(0);
    const r = await cli('measure', '--metric', 'spectrum', '--n', '4', ...common, '--seed', '2', '--checkpoint', join(first, 'checkpoint'), '--out', second);
    expect(r.code).toBe(0);
    expect(await readFile(join(second, 'checkpoint', 'tensors-000000000.bin'))).toEqual(await readFile(join(first, 'checkpoint', 'tensors-000000000.bin')));
    const summary = JSON.parse(r.stdout) as { lambdaMin: number; lambdaMax: number };
    expect(summary.lambdaMin).toBeGreaterThan(0);
    expect(summary.lambdaMax).toBeGreaterThanOrEqual(summary.lambdaMin);
  });

  it("takes any registered architecture's own flags (--width-factor, --no-batch-norm)", async () => {
    const out = join(root, 'cnn');
    const r = await cli('measure', '--metric', 'gram', '--of', 'loss', '--n', '3', '--arch', 'cnn', '--depth', '10', '--width-factor', '1', '--no-batch-norm', '--data', 'synthetic-images', '--backend', 'cpu', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { model: { name: string; options: { batchNorm: boolean; widthFactor: number } }; size: number };
    expect(summary.model.name).toBe('CNN-10-1');
    expect(summary.model.options).toMatchObject({ batchNorm: false, widthFactor: 1 });
    expect(summary.size).toBe(3);
  });

  it("measures any run directory's checkpoint, and leaves no file of an earlier measurement behind", async () => {
    const run = join(root, 'trained');
    expect((await cli('train', '--arch', 'mlp', '--depth', '1', '--width', '6', '--data', 'synthetic', '--steps', '5', '--backend', 'cpu', '--out', run)).code).toBe(0);
    const out = join(root, 'reused');
    const gram = await cli('measure', '--metric', 'gram:of=loss', '--n', '4', '--arch', 'mlp', '--depth', '1', '--width', '6', '--data', 'synthetic', '--backend', 'cpu', '--checkpoint', run, '--out', out);
    expect(gram.stderr).toBe('');
    expect(JSON.parse(gram.stdout)).toMatchObject({ weights: { checkpoint: run } });
    expect(existsSync(join(out, 'gram.f64'))).toBe(true);
    // The minibatch protocol has no Gram: the earlier gram.f64 must not stay beside its summary.
    const pairs = await cli('measure', '--metric', 'minibatch-confusion', '--pairs', '2', '--batch-size', '4', '--arch', 'mlp', '--depth', '1', '--width', '6', '--data', 'synthetic', '--backend', 'cpu', '--out', out);
    expect(pairs.code).toBe(0);
    expect(existsSync(join(out, 'gram.f64'))).toBe(false);
    const mismatch = await cli('measure', '--metric', 'gram', '--of', 'loss', '--n', '4', '--arch', 'mlp', '--depth', '1', '--width', '7', '--data', 'synthetic', '--backend', 'cpu', '--checkpoint', run, '--out', join(root, 'mismatch'));
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/^overparam: --checkpoint: .*has shape \[784, 6\], MLP-1-7 needs \[784, 7\]/);
  });

  it('refuses the population Gram for a network it is not defined for', async () => {
    const r = await cli('measure', '--metric', 'population-gram', '--arch', 'deep-linear', '--depth', '2', '--data', 'synthetic', '--n', '4', '--backend', 'cpu', '--out', join(root, 'pop'));
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^overparam: --arch: population-gram .* not defined for 'deep-linear', use --arch du-mlp/);
  });

  it('measures a regression set without --loss, and a small --n of a small set without --batch-size', async () => {
    // The default loss follows the data (square for sphere); the training batch size (128 by default) is not checked against the 16 examples.
    const ntk = await cli('measure', '--metric', 'gram', '--arch', 'deep-linear', '--depth', '2', '--data', 'sphere', '--data-option', 'n=16', 'd=4', 'testN=2', '--n', '8', '--backend', 'cpu', '--out', join(root, 'ntk-sphere'));
    expect(ntk.stderr).toBe('');
    expect(ntk.code).toBe(0);
    expect(JSON.parse(ntk.stdout)).toMatchObject({ metric: 'gram', of: 'output', data: 'sphere', loss: 'square', n: 8, size: 8 });
    const population = await cli('measure', '--metric', 'population-gram', '--arch', 'du-mlp', '--depth', '2', '--width', '16', '--data', 'sphere', '--data-option', 'n=16', 'd=4', 'testN=2', '--n', '4', '--backend', 'cpu', '--out', join(root, 'pop-sphere'));
    expect(population.stderr).toBe('');
    expect(JSON.parse(population.stdout)).toMatchObject({ metric: 'population-gram', loss: 'square', size: 4 });
    // minibatch-confusion does use the batch size, and still says when a pair does not fit.
    const pairs = await cli('measure', '--metric', 'minibatch-confusion', '--arch', 'deep-linear', '--depth', '2', '--data', 'sphere', '--data-option', 'n=16', 'd=4', 'testN=2', '--pairs', '2', '--batch-size', '9', '--backend', 'cpu', '--out', join(root, 'pairs-sphere'));
    expect(pairs.code).toBe(2);
    expect(pairs.stderr).toMatch(/^overparam: --batch-size: a pair of minibatches of 9 needs 18 distinct examples/);
  });

  it('measures the geometry of the drawn inputs (data-geometry): the largest |⟨x_i, x_j⟩| recomputed from the data set', async () => {
    const options = { n: 12, d: 5, testN: 2 };
    const r = await cli('measure', '--metric', 'data-geometry', '--arch', 'deep-linear', '--depth', '1', '--data', 'sphere', '--data-option', 'n=12', 'd=5', 'testN=2', '--n', '12', '--backend', 'cpu', '--out', join(root, 'geometry'));
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout) as Record<string, number>;
    // All 12 inputs are drawn, so the largest off-diagonal |⟨x_i, x_j⟩| is that of the whole training split, in float64.
    const x = loadDataSet('sphere', { seed: 0, options }).train.x;
    let largest = 0;
    for (let i = 0; i < 12; i++) for (let j = i + 1; j < 12; j++) largest = Math.max(largest, Math.abs(Array.from({ length: 5 }, (_, k) => x[i * 5 + k]! * x[j * 5 + k]!).reduce((a, b) => a + b, 0)));
    expect(summary).toMatchObject({ metric: 'data-geometry', n: 12, d: 5 });
    expect(summary['maxAbsInner']).toBeCloseTo(largest, 12);
    expect(summary['scale']).toBeCloseTo(Math.sqrt(Math.log(12) / 5), 12);
    expect(existsSync(join(root, 'geometry', 'gram.f64'))).toBe(false);
  });

  it('says what is wrong with bad input', async () => {
    const bad = await cli('measure', '--metric', 'vibes', '--data', 'synthetic', '--backend', 'cpu', '--out', join(root, 'bad'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`overparam: --metric: unknown metric 'vibes'; expected one of: ${metricDefinitions.map((d) => d.name).join(', ')}\n`);
    const missing = await cli('measure', '--metric', 'gram', '--data', 'synthetic', '--backend', 'cpu', '--checkpoint', join(root, 'nowhere'), '--out', join(root, 'bad2'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read the checkpoint's manifest/);
  });

  it('takes every name train --metric takes, from the registry: each measures, or says why it cannot', async () => {
    const names = metricDefinitions.map((d) => d.name);
    // train's --metric vocabulary is the spec schema's; measure's list is that same registry.
    expect(metricHookNames).toEqual(names);
    expect(measureMetricNames).toEqual(names);
    // A regression set of 300 examples covers every metric's defaults (256 examples, 100 pairs of 128, a regression task).
    const common = ['--arch', 'deep-linear', '--depth', '2', '--data', 'sphere', '--data-option', 'n=300', 'd=4', 'testN=2', '--backend', 'cpu'];
    for (const name of names) {
      const r = await cli('measure', '--metric', name, ...common, '--out', join(root, `every-${name}`));
      expect(r.stderr, name).not.toMatch(/unknown metric/);
      if (r.code === 0) {
        expect(JSON.parse(r.stdout), name).toMatchObject({ metric: name });
      } else {
        // Only a metric that has no meaning outside training, or outside Du et al.'s nets, is refused, in one line.
        expect(r.code, name).toBe(2);
        expect(r.stderr.trimEnd().split('\n'), name).toHaveLength(1);
        expect(['weight-movement', 'population-gram'], `${name}: ${r.stderr}`).toContain(name);
      }
    }
  });

  it('keeps loss-gram and ntk-gram for one release, as gram of loss and of output, with a one-line note', async () => {
    const common = ['--n', '5', '--arch', 'mlp', '--depth', '1', '--width', '5', '--data', 'synthetic', '--backend', 'cpu'];
    for (const [old, of] of [['loss-gram', 'loss'], ['ntk-gram', 'output']] as const) {
      const aliased = await cli('measure', '--metric', old, ...common, '--out', join(root, old));
      expect(aliased.code).toBe(0);
      expect(aliased.stderr).toBe(`overparam: --metric ${old} is deprecated and will be removed in the next release; write --metric gram --of ${of}\n`);
      const current = await cli('measure', '--metric', 'gram', '--of', of, ...common, '--out', join(root, `gram-${of}`));
      expect(current.stderr).toBe('');
      expect(await readFile(join(root, old, 'gram.f64'))).toEqual(await readFile(join(root, `gram-${of}`, 'gram.f64')));
      expect(JSON.parse(aliased.stdout)).toMatchObject({ metric: 'gram', of });
    }
    const contradiction = await cli('measure', '--metric', 'loss-gram', '--of', 'output', ...common, '--out', join(root, 'contradiction'));
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr).toMatch(/^overparam: --of: 'output' contradicts --metric loss-gram\n$/);
  });

  it('prints progress on stderr for a long measurement, and refuses bad input before any', async () => {
    const common = ['--arch', 'mlp', '--depth', '1', '--width', '4', '--data', 'synthetic', '--backend', 'cpu'];
    const loop = await cli('measure', '--metric', 'spectrum', '--of', 'loss', '--method', 'loop', '--n', String(LONG_MEASUREMENT), ...common, '--out', join(root, 'long'));
    expect(loop.code).toBe(0);
    const lines = loop.stderr.trimEnd().split('\n');
    // A line as each stage starts, one per tenth of the per-example loop's backward passes, then the eigen-solve's start and end.
    expect(lines).toEqual([
      'overparam: measure spectrum: Gram 1/100 (1%)',
      ...Array.from({ length: 10 }, (_, k) => `overparam: measure spectrum: Gram ${10 * (k + 1)}/100 (${10 * (k + 1)}%)`),
      'overparam: measure spectrum: eigenvalues 0/1 (0%)',
      'overparam: measure spectrum: eigenvalues 1/1 (100%)',
    ]);
    // stdout is still the summary alone.
    expect(JSON.parse(loop.stdout)).toMatchObject({ metric: 'spectrum', n: 100, method: 'loop' });
    // The bound on --n and --pairs is the metric's own, from its schema.
    for (const [bad, message] of [
      [['--metric', 'confusion', '--n', '0'], /^overparam: --n: Too small: expected number to be >=2\n$/],
      [['--metric', 'gram', '--n', '0'], /^overparam: --n: Too small: expected number to be >=1\n$/],
      [['--metric', 'minibatch-confusion', '--pairs', '0'], /^overparam: --pairs: Too small: expected number to be >=1\n$/],
      [['--metric', 'gram', '--n', 'x'], /^overparam: --n: expected an integer, got 'x'\n$/],
    ] as const) {
      const r = await cli('measure', ...bad, ...common, '--out', join(root, 'bad-bound'));
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    for (const bad of [
      ['--metric', 'gram', '--of', 'sideways', '--n', '100'],
      ['--metric', 'gram', '--n', '100000'],
      ['--metric', 'balancedness', '--n', '100'],
      ['--metric', 'weight-movement'],
    ]) {
      const r = await cli('measure', ...bad, ...common, '--out', join(root, 'bad-long'));
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).not.toMatch(/measure .*: Gram/);
    }
  });
});
