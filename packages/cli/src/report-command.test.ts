import { OverparamError } from '@overparam/core';
import { Command } from 'commander';
import { lockDirectory } from '@overparam/experiments/node';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addReportCommand } from './report-command';
import { temporaryRoot } from './test-cli';

async function report(...argv: string[]) {
  let stdout = '';
  let code = -1;
  const program = new Command('overparam').exitOverride();
  addReportCommand(program, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true } }, (c) => (code = c));
  await program.parseAsync(argv, { from: 'user' });
  return { code, stdout };
}

describe('overparam report', () => {
  it('writes the page, its PNGs and report.json for a run directory', async () => {
    const root = await temporaryRoot('overparam-report-cli-');
    const run = join(root, 'run');
    await mkdir(run);
    await writeFile(join(run, 'config.json'), JSON.stringify({ arch: 'mlp', seed: 3, model: { name: 'MLP-1-4', paramCount: 30 } }));
    await writeFile(join(run, 'metrics.jsonl'), [10, 20, 30].map((step) => `${JSON.stringify({ kind: 'train', step, epoch: 0, loss: 1 / step })}\n`).join(''));
    await writeFile(join(run, 'summary.json'), JSON.stringify({ outcome: 'completed', steps: 30, requestedSteps: 30, finalTrainLoss: 0.03, modelName: 'MLP-1-4', paramCount: 30 }));
    const out = join(root, 'out.html');
    const { code, stdout } = await report('report', run, '--out', out);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^wrote .*out\.html \(1 run, 1 figure, 1 PNG\) and .*report\.json in \d+\.\d s\n$/);
    const json = JSON.parse(await readFile(join(root, 'report.json'), 'utf8')) as { runs: Array<{ seed: number }>; figures: Array<{ data: { points: Array<{ loss: number }> } }> };
    expect(json.runs[0]!.seed).toBe(3);
    expect(json.figures[0]!.data.points.map((p) => p.loss)).toEqual([1 / 10, 1 / 20, 1 / 30]);
    expect((await readFile(join(root, 'training-loss.png'))).subarray(1, 4).toString()).toBe('PNG');
  });

  it('is refused, writing nothing, while another writer holds the report folder; and leaves no lock behind', async () => {
    const root = await temporaryRoot('overparam-report-cli-held-');
    const run = join(root, 'run');
    await mkdir(run);
    await writeFile(join(run, 'config.json'), JSON.stringify({ arch: 'mlp', seed: 3, model: { name: 'MLP-1-4', paramCount: 30 } }));
    await writeFile(join(run, 'metrics.jsonl'), `${JSON.stringify({ kind: 'train', step: 1, epoch: 0, loss: 1 })}\n`);
    const out = join(root, 'out');
    const held = await lockDirectory(out);
    const refused = await report('report', run, '--out', out).catch((e: unknown) => e);
    await held.release();
    expect((refused as OverparamError).code).toBe('RUN_LOCKED');
    expect(await readdir(out)).toEqual([]);
    expect((await report('report', run, '--out', out, '--no-png')).code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['index.html', 'report.json']);
  });

  it('fails with a typed error for a directory without runs', async () => {
    const root = await temporaryRoot('overparam-report-cli-empty-');
    await expect(report('report', root, '--out', join(root, 'r'))).rejects.toThrow(OverparamError);
  });
});
