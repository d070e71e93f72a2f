import { presetIds, presets } from '@overparam/experiments';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cli, temporaryRoot } from './test-cli';

const root = await temporaryRoot('overparam-reproduce-');

/** `overparam` as a real process from the sources, so each preset runs on the backend `auto` picks here. */
function overparamProcess(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const main = join(import.meta.dirname, 'main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@overparam/source', main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('overparam reproduce --list', () => {
  it('shows one line per preset, id first, with its claim and source', async () => {
    const { code, stdout } = await cli('reproduce', '--list');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual([...presetIds]);
    lines.forEach((line, i) => expect(line).toContain(presets[i]!.source));
  });

  it('--json gives every preset with what each scale scales down', async () => {
    const { code, stdout } = await cli('reproduce', '--list', '--json');
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as Array<{ id: string; scales: Record<string, string> }>;
    expect(listed.map((p) => p.id)).toEqual([...presetIds]);
    for (const p of listed) expect(Object.keys(p.scales)).toEqual(['smoke', 'laptop', 'paper']);
  });

  it.each([
    [['reproduce', 'c0-nothing'], `unknown preset 'c0-nothing'; expected one of: ${presetIds.join(', ')}`],
    [['reproduce', presetIds[0]!, '--scale', 'huge'], "--scale: expected one of smoke, laptop, paper, got 'huge'"],
    [['reproduce', presetIds[0]!, '--jobs', '0'], "--jobs: expected an integer ≥ 1, got '0'"],
    [['reproduce', presetIds[0]!, '--replicas', '0'], "--replicas: expected 'auto' or an integer ≥ 1, got '0'"],
    [['reproduce'], 'name a preset'],
    [['reproduce', presetIds[0]!, '--set', 'steps=-1'], '--set: sweep cell (dataOptions.d=80, lr=0.01, seed=0): steps: Too small'],
    [['reproduce', presetIds[0]!, '--set', 'stepz=5'], 'stepz: is not a known field'],
  ])('%j → exit 2 with one line saying what to do', async (argv, message) => {
    const { code, stderr } = await cli(...argv, '--out', join(root, 'never'));
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(join(root, 'never'))).toBe(false);
  });
});

/**
 * Every preset at smoke scale, as a user runs it: a real process on the fastest backend here
 * (`auto`), `--check` so a failed criterion fails the test. Smoke scale is sized to finish in
 * about 30 s each on the node backend. The processes run side by side (vitest's maxConcurrency):
 * this file is the suite's longest, ~190 s one after another, and otherwise ends a run alone on
 * one core.
 */
describe.concurrent('overparam reproduce <preset> --scale smoke --check', () => {
  it.each(presetIds.map((id) => [id]))('%s passes its criteria and writes preset.json and the report', async (id) => {
    const out = join(root, id);
    const { code, stdout, stderr } = await overparamProcess(['reproduce', id, '--scale', 'smoke', '--out', out, '--check']);
    expect(stderr).toContain(`criteria of ${id} at scale smoke`);
    expect({ code, criteria: stderr.split('\n').filter((l) => /^overparam: {3}(FAIL|pass|inconclusive|reported)/.test(l)) }).toMatchObject({ code: 0 });
    const result = JSON.parse(stdout) as { passed: boolean; criteria: Array<{ verdict: string }>; report: string };
    expect(result.passed).toBe(true);
    expect(result.criteria.filter((c) => c.verdict !== 'reported').length).toBeGreaterThan(0);
    const written = JSON.parse(await readFile(join(out, 'preset.json'), 'utf8')) as { id: string; scale: string; criteria: unknown[] };
    expect(written).toMatchObject({ id, scale: 'smoke', criteria: result.criteria });
    expect(existsSync(result.report)).toBe(true);
    expect(await readFile(result.report, 'utf8')).toContain('Criteria: ');
  });
});
