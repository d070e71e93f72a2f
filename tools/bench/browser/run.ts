/**
 * `npm run bench:browser`: MLP training steps/s on each browser backend (webgpu, webgl, wasm, cpu)
 * in headless Chromium, one JSON line per measurement on stdout (suite `browser-mlp-train`; the
 * fields of tools/bench/README.md). The page is bundled with esbuild from the workspace sources,
 * served from 127.0.0.1, and every request that would leave the machine is refused.
 *
 *   npm run -s bench:browser -- [--quick] [--backend webgl,wasm]
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { DEFAULT_READ_LOSS_EVERY } from '@overparam/core';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumMissingMessage, chromiumPath } from '../../browser/chromium';
import { emitError, emitMeasurement, emitSkipped, log } from '../emit';
import { mlpParameters } from '../mlp-workload';
import { fullSettings, quickSettings } from '../suite';
import type { BrowserMlpResult } from './page';

const SUITE = 'browser-mlp-train';
const backends = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** Shapes measured: SwiftShader makes the GPU backends slow, so the small and the deep MLP only. */
const shapes = [
  { depth: 3, width: 100 },
  { depth: 10, width: 100 },
];
/** `overparam-train` is the loop as it is; the other reads every step's loss back, as the loop did before issue 21. */
const variants = [
  { name: 'overparam-train', readLossEvery: undefined },
  { name: 'overparam-train-read-every-step', readLossEvery: 1 },
] as const;
/** Longest one measurement may take before it is reported as an error (no run hangs). */
const MEASUREMENT_TIMEOUT_MS = 300_000;

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, backend: { type: 'string' } }, strict: true });
const chosen = values.backend === undefined ? [...backends] : values.backend.split(',').map((s) => s.trim());
const unknown = chosen.filter((b) => !(backends as readonly string[]).includes(b));
if (unknown.length > 0) {
  process.stderr.write(`unknown backend ${unknown.join(', ')}; choose from ${backends.join(', ')}\n`);
  process.exit(2);
}
const missing = chromiumMissingMessage();
if (missing !== undefined) {
  process.stderr.write(`${missing}\n`);
  process.exit(1);
}
const settings = values.quick ? quickSettings : fullSettings;
// At least two read windows per repetition, or reading every step and reading when needed would read alike.
const windowed = { ...settings, minSteps: Math.max(settings.minSteps, 2 * DEFAULT_READ_LOSS_EVERY), maxSteps: Math.max(settings.maxSteps, 2 * DEFAULT_READ_LOSS_EVERY) };

const contentTypes: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' };

/**
 * Vite's `import x from 'file?url'` (the playground's wasm wiring, which the page reuses) as
 * esbuild's file loader: the file is copied next to the bundle and `x` is its URL.
 */
const urlImports: Plugin = {
  name: 'url-imports',
  setup(bundle) {
    bundle.onResolve({ filter: /\?url$/ }, async (args) => {
      const { path, errors } = await bundle.resolve(args.path.slice(0, -'?url'.length), { kind: args.kind, resolveDir: args.resolveDir });
      return { path, errors };
    });
  },
};

async function bundlePage(dir: string): Promise<void> {
  await build({
    plugins: [urlImports],
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    conditions: ['@overparam/source'],
    loader: { '.wasm': 'file' },
    outdir: dir,
    entryNames: 'page',
    logLevel: 'error',
  });
  await writeFile(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>overparam bench</title><script type="module" src="./page.js"></script>');
}

const dir = await mkdtemp(join(tmpdir(), 'overparam-bench-browser-'));
const server = createServer(async (request, response) => {
  const requested = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = requested === '/' ? 'index.html' : requested;
  try {
    const body = await readFile(join(dir, file));
    response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
try {
  log('bundling the page');
  await bundlePage(dir);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs], headless: true });
  const browserVersion = browser.version();
  try {
    for (const backend of chosen) {
      for (const { depth, width } of shapes) {
        const parameters = { ...mlpParameters(depth, width), platform: 'browser', browser: `chromium ${browserVersion} headless` };
        // The loop as it is (losses read when needed), then reading every step's loss, and their ratio.
        const results: BrowserMlpResult[] = [];
        for (const variant of variants) {
          const page = await browser.newPage();
          const refused: string[] = [];
          await page.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : (refused.push(route.request().url()), route.abort())));
          try {
            await page.goto(`${origin}/`);
            await page.waitForFunction(() => 'overparamBench' in globalThis, undefined, { timeout: 60_000 });
            log(`${SUITE} ${parameters.model} on ${backend} (${variant.name})`);
            const measurement = page.evaluate(
              ([b, d, w, s, k]) => (globalThis as unknown as { overparamBench: { benchmarkMlp: (...a: unknown[]) => Promise<BrowserMlpResult> } }).overparamBench.benchmarkMlp(b, d, w, s, k),
              [backend, depth, width, windowed, variant.readLossEvery] as const,
            );
            const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no result after ${MEASUREMENT_TIMEOUT_MS / 1000} s`)), MEASUREMENT_TIMEOUT_MS).unref());
            const result = await Promise.race([measurement, timeout]);
            log(`${SUITE} ${parameters.model} on ${backend}: ${result.median.toFixed(2)} steps/s (K=${result.steps})`);
            emitMeasurement({ suite: SUITE, name: variant.name, backend, unit: 'steps/s', ...result, ...parameters, refusedRequests: refused.length });
            results.push(result);
          } catch (e) {
            const message = (e as Error).message;
            if (/could not|no WebGPU|no adapter|does not run/.test(message)) emitSkipped(SUITE, backend, message);
            else emitError(SUITE, variant.name, backend, e, parameters);
          } finally {
            await page.close();
          }
        }
        const [lazy, eager] = results;
        if (lazy !== undefined && eager !== undefined) {
          // Ratio of medians; min and max are the extreme pairings, a bound on the spread, not a sample.
          const ratio = { median: lazy.median / eager.median, min: lazy.min / eager.max, max: lazy.max / eager.min };
          emitMeasurement({ suite: SUITE, name: `${variants[0].name}/${variants[1].name}`, backend, unit: 'ratio', ...ratio, reps: windowed.reps, ...parameters });
        }
      }
    }
  } finally {
    await browser.close();
  }
} finally {
  server.close();
  await rm(dir, { recursive: true, force: true });
}
