import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, temporaryRoot } from './test-cli';

const root = await temporaryRoot('overparam-train-metrics-');


const tiny = ['train', '--arch', 'mlp', '--depth', '1', '--width', '8', '--data', 'synthetic', '--steps', '4', '--batch-size', '16', '--backend', 'cpu'];

describe('overparam train --metric', () => {
  it('writes each metric’s records into metrics.jsonl on its schedule', async () => {
    const out = join(root, 'run');
    const r = await cli(...tiny, '--metric', 'confusion:every=2,n=8', '--metric', 'minibatch-confusion:pairs=2,batchSize=8', '--metric', 'spectrum:n=6,start', '--out', out);
    expect(r.code).toBe(0);
    const records = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { kind: string; step: number; [k: string]: unknown });
    const steps = (kind: string) => records.filter((x) => x.kind === kind).map((x) => x.step);
    expect(steps('confusion')).toEqual([2, 4]);
    expect(steps('minibatch-confusion')).toEqual([4]);
    expect(steps('spectrum')).toEqual([0, 4]);
    const c = records.find((x) => x.kind === 'confusion')!;
    expect(c.cosines).toBe(28);
    expect(typeof c.minCos).toBe('number');
    const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8')) as { metrics: unknown[] };
    expect(config.metrics[0]).toEqual({ name: 'confusion', every: 2, n: 8, start: false, end: true });
  });

  it('names the flag when a metric is wrong', async () => {
    const unknown = await cli(...tiny, '--metric', 'entropy:every=2', '--out', join(root, 'bad'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^overparam: --metric: in 'entropy:every=2': unknown metric 'entropy'; expected one of: confusion, minibatch-confusion, spectrum, weight-movement/);
    const option = await cli(...tiny, '--metric', 'spectrum:every=0', '--out', join(root, 'bad'));
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^overparam: --metric: in 'spectrum:every=0': every: /);
    // Checked against the data set before training starts, not at the first measurement.
    const size = await cli(...tiny, '--metric', 'spectrum:n=5000', '--out', join(root, 'bad'));
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/^overparam: --metric: 5000 exceeds the \d+ training examples of 'synthetic'/);
  });
});
