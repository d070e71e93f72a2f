import { defineConfig, type Options } from 'tsup';

/**
 * The one build recipe every package uses: ESM + CJS + declarations behind the package's
 * `exports` map. Declarations are built against the dependencies' built `.d.ts` (no source
 * condition), so a package's types never inline another package's sources.
 */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    shims: true,
    splitting: false,
    ...extra,
  });
}
