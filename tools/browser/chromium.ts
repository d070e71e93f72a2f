import { existsSync } from 'node:fs';

/**
 * The one definition of the headless Chromium that the browser tests (test/browser/) and the
 * browser benchmark (tools/bench/browser/) drive: Debian's `chromium` package, launched through
 * Playwright's library with `executablePath`, so that nothing is ever downloaded (`playwright
 * install` is never needed). OVERPARAM_CHROMIUM names another Chromium binary.
 */
export const chromiumPath = process.env.OVERPARAM_CHROMIUM ?? '/usr/bin/chromium';

/**
 * WebGPU on the SwiftShader software adapter: without these Chromium offers no adapter on a
 * machine without a GPU, and tfjs-webgpu crashes on the null adapter.
 */
export const swiftShaderWebgpuArgs: readonly string[] = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-unsafe-swiftshader'];

/** The browser without WebGPU: what a page whose `auto` backend must not land on SwiftShader's WebGPU gets. */
export const chromiumArgsWithoutWebgpu: readonly string[] = [
  '--no-sandbox',
  // No traffic of the browser's own: a run must not reach the network.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const chromiumArgs: readonly string[] = [...chromiumArgsWithoutWebgpu, ...swiftShaderWebgpuArgs];

/** What to do when the browser is missing, or undefined when it is there. */
export function chromiumMissingMessage(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  return (
    `[overparam] Chromium is not installed at ${chromiumPath}: the browser tests (browser:* projects) and browser benchmarks need it. ` +
    'Install it with `apt-get install -y chromium` (Debian/Ubuntu), or point OVERPARAM_CHROMIUM at a Chromium binary. ' +
    'Never `playwright install`: the harness drives the system browser.'
  );
}
