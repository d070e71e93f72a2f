import { RUN_FILES, type RunStore } from '@overparam/experiments';
import { strToU8, zipSync } from 'fflate';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The runs of a store as a zip of run directories in the layout of experiments' directory store
 * (RUN_FILES): unzipped, `overparam report <folder>` reads them as it reads runs trained in Node.
 * Checkpoints stay behind: a finished browser run has nothing to resume.
 */
export async function exportRuns(store: RunStore): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const id of await store.list()) {
    const config = await store.readConfig(id);
    const info = await store.readInfo(id);
    const summary = await store.readSummary(id);
    const records = await store.readRecords(id);
    if (config !== undefined) files[`${id}/${RUN_FILES.config}`] = strToU8(json(config));
    if (info !== undefined) files[`${id}/${RUN_FILES.info}`] = strToU8(json(info));
    files[`${id}/${RUN_FILES.records}`] = strToU8(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    if (summary !== undefined) files[`${id}/${RUN_FILES.summary}`] = strToU8(json(summary));
  }
  return zipSync(files);
}
