/**
 * The packages as others compose them: every publishable workspace is packed with `npm pack`, and
 * a fresh project outside the workspace installs only those tarballs and their declared peers.
 * There it trains an MLP and measures the minibatch gradient confusion from Node ESM and from CJS,
 * type-checks a strict consumer under `moduleResolution` bundler and node16, and bundles a browser
 * entry with esbuild, whose bundle must hold no Node built-in.
 *
 * Slow by nature (one `npm install`, ~30 s from the npm cache), so everything runs once in
 * `beforeAll` and the tests read its results.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tolerancesFor } from '@overparam/testing';
import { externalPeers, packWorkspaces, run, workspaceRoot, type PackedPackage } from './tarballs';
import { HANG_CEILING_MS } from '../../test/helpers/hang-ceiling.ts';

const fixtures = join(workspaceRoot, 'tools', 'packages', 'consumer');
/** What the consumer project uses; their declared peers come with them. */
const used = ['core', 'architectures', 'data', 'metrics', 'backend-cpu', 'backend-wasm', 'backend-webgl', 'backend-webgpu'].map((n) => `@overparam/${n}`);

interface ConsumerRun {
  module: 'esm' | 'cjs';
  backend: string;
  outcome: string;
  losses: number[];
  cosines: number[];
  etaNormalized: number;
  tensorGrowth: number;
}

let project: string;
let packed: PackedPackage[];

async function node(file: string, backend: string): Promise<ConsumerRun> {
  const { stdout } = await run(process.execPath, [file, backend], { cwd: project, timeout: HANG_CEILING_MS });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ConsumerRun;
}

/** tsc's diagnostics for a tsconfig of the consumer project (empty when it type-checks). */
async function typecheck(tsconfig: string): Promise<string> {
  const tsc = join(workspaceRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await run(process.execPath, [tsc, '-p', tsconfig], { cwd: project, timeout: HANG_CEILING_MS });
    return '';
  } catch (e) {
    return (e as { stdout?: string }).stdout ?? String(e);
  }
}

describe('the published packages, installed from their tarballs into a fresh project', () => {
  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'overparam-consumer-'));
    packed = await packWorkspaces(project);
    const mine = packed.filter((p) => used.includes(p.manifest.name));
    const peers = Object.assign({}, ...mine.map((p) => externalPeers(p.manifest))) as Record<string, string>;
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'overparam-consumer', private: true, version: '0.0.0' }));
    // From the npm cache where it can (the workspace's own install filled it); the registry otherwise.
    await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', ...mine.map((p) => p.tarball), ...Object.entries(peers).map(([n, v]) => `${n}@${v}`)], {
      cwd: project,
      timeout: HANG_CEILING_MS,
      maxBuffer: 64 << 20,
    });
    for (const file of ['train-and-measure.mjs', 'train-and-measure.cjs', 'typed-consumer.ts', 'browser-entry.ts', 'wasm-files.d.ts']) await copyFile(join(fixtures, file), join(project, file));
    // The same strict consumer as an ES module and as a CommonJS module under node16.
    const typed = await readFile(join(fixtures, 'typed-consumer.ts'), 'utf8');
    await writeFile(join(project, 'typed-consumer.mts'), typed);
    await writeFile(join(project, 'typed-consumer.cts'), typed);
    const strict = { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true };
    await writeFile(join(project, 'tsconfig.bundler.json'), JSON.stringify({ compilerOptions: { ...strict, module: 'ESNext', moduleResolution: 'bundler' }, files: ['typed-consumer.ts'] }));
    await writeFile(join(project, 'tsconfig.node16.json'), JSON.stringify({ compilerOptions: { ...strict, module: 'node16', moduleResolution: 'node16' }, files: ['typed-consumer.mts', 'typed-consumer.cts'] }));
  });

  afterAll(async () => {
    if (project !== undefined) await rm(project, { recursive: true, force: true });
  });

  it('packs every publishable workspace, each with its built entry points', () => {
    expect(packed.map((p) => p.manifest.name)).toEqual(expect.arrayContaining(used));
  });

  it('trains and measures confusion identically from ESM and CJS, and on wasm within float32 rounding', async () => {
    const [esm, cjs, wasm] = await Promise.all([node('train-and-measure.mjs', 'cpu'), node('train-and-measure.cjs', 'cpu'), node('train-and-measure.mjs', 'wasm')]);
    expect([esm.backend, cjs.backend, wasm.backend]).toEqual(['cpu', 'cpu', 'wasm']);
    for (const r of [esm, cjs, wasm]) {
      expect(r.outcome).toBe('completed');
      expect(r.losses).toHaveLength(30);
      expect(r.tensorGrowth).toBe(0);
      // It learned: the last five losses are below the first five.
      expect(r.losses.slice(-5).reduce((s, v) => s + v, 0)).toBeLessThan(r.losses.slice(0, 5).reduce((s, v) => s + v, 0));
      expect(r.cosines).toHaveLength(8);
      for (const c of r.cosines) expect(Math.abs(c)).toBeLessThanOrEqual(1 + 1e-12);
      expect(r.etaNormalized).toBe(Math.max(0, -Math.min(...r.cosines)));
    }
    // The ESM and CJS builds are the same code on the same backend with the same seeds: bit for bit.
    expect(cjs.losses).toEqual(esm.losses);
    expect(cjs.cosines).toEqual(esm.cosines);
    // wasm sums in another order: float32 rounding, compounded over 30 steps (see tolerances.ts).
    const tol = tolerancesFor('wasm', 32).crossBackendLoss * 10;
    wasm.losses.forEach((l, i) => expect(Math.abs(l - esm.losses[i]!)).toBeLessThan(tol * Math.abs(esm.losses[i]!)));
  });

  it("type-checks a strict consumer against the tarballs' declarations (bundler and node16 resolution)", async () => {
    const [bundler, node16] = await Promise.all([typecheck('tsconfig.bundler.json'), typecheck('tsconfig.node16.json')]);
    expect(bundler).toBe('');
    expect(node16).toBe('');
  });

  it('bundles a browser entry with esbuild, with no Node built-in in the bundle', async () => {
    const result = await build({
      absWorkingDir: project,
      entryPoints: ['browser-entry.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      outdir: 'dist',
      loader: { '.wasm': 'file' },
      metafile: true,
      logLevel: 'silent',
    });
    const meta: Metafile = result.metafile;
    const inputs = Object.keys(meta.inputs);
    // Every package the entry imports is in the bundle, not left external.
    for (const name of used) expect(inputs.some((i) => i.includes(`node_modules/${name}/dist/`))).toBe(true);
    // No Node built-in is bundled or left for the browser to import. TensorFlow.js's own packages map
    // fs, path, worker_threads and a few more to empty modules through their `browser` fields
    // (esbuild's "(disabled):" inputs, code paths guarded by a Node check); ours import none at all.
    const nodeBuiltins = inputs.filter((i) => i.startsWith('node:') || /^(fs|path|os|module|zlib|crypto|child_process|worker_threads)$/.test(i));
    const externals = Object.values(meta.inputs).flatMap((i) => i.imports.filter((imp) => imp.external).map((imp) => imp.path));
    const ourStubbedImports = Object.entries(meta.inputs)
      .filter(([path]) => path.includes('node_modules/@overparam/'))
      .flatMap(([path, input]) => input.imports.filter((imp) => imp.path.startsWith('(disabled):')).map((imp) => `${path} → ${imp.path}`));
    expect(nodeBuiltins).toEqual([]);
    expect(externals).toEqual([]);
    expect(ourStubbedImports).toEqual([]);
    // The wasm binaries travel with the bundle as its own assets.
    expect(Object.keys(meta.outputs).filter((o) => o.endsWith('.wasm'))).toHaveLength(3);
  });
});
