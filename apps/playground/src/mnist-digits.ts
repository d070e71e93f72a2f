import { provideMnistDigits } from '@overparam/data';
import { counts, gzipBase64, table } from 'virtual:mnist-digits';
import { unpackDigits } from './mnist-packing';

/** The data set the bundled digits are. */
export const BUNDLED_DATA_SET = 'mnist';

let provided: Promise<void> | undefined;

/**
 * Unpacks the bundled digits (see mnist-digits-plugin.ts) and makes them the 'mnist' data set of
 * run configs; once, and only when a run asks for MNIST, so the page opens without the wait.
 */
export function provideBundledMnist(): Promise<void> {
  provided ??= (async () => {
    const packed = Uint8Array.from(atob(gzipBase64), (c) => c.charCodeAt(0));
    const codes = new Uint8Array(await new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    provideMnistDigits(unpackDigits({ table, counts, codes }));
  })();
  return provided;
}
