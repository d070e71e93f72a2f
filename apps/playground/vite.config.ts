import { defineConfig } from 'vite';
import { mnistDigitsPlugin } from './mnist-digits-plugin.ts';
import { singleFilePlugin } from './single-file-plugin.ts';

// The workspace packages' TypeScript sources (their `@overparam/source` export condition), then Vite's browser conditions.
const conditions = ['@overparam/source', 'module', 'browser', 'development|production'];

/** `npm run playground` serves the app; `vite build` writes one self-contained dist/index.html. */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  resolve: { conditions },
  plugins: [mnistDigitsPlugin(), singleFilePlugin()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Every asset (the wasm binaries) becomes a data URL: nothing is fetched, from disk or network.
    assetsInlineLimit: () => true,
    modulePreload: false,
    chunkSizeWarningLimit: 20_000,
    rolldownOptions: { output: { codeSplitting: false } },
  },
});
