import { OverparamError, type RunRecord, type TrainCheckpoint } from '@overparam/core';
import { open, readdir, readFile, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeTensors, encodeCheckpoint, parseManifest, toTrainCheckpoint } from './checkpoint-format';
import type { RunConfig } from '../config/config';
import type { RunSummary } from './summary';
import { configHash } from '../run/run-integrity';
import { exists, ioError, makeDirectory, readTextIfPresent, writeFileAtomic } from './files';
import { lockDirectory } from './lock';
import { completeLines, digestOfText, recordLine, RecordsTally } from './records-digest';
import { RUN_FILES } from './run-files';
import type { RecordWriter, RunInfo, RunStatus, RunStore } from './types';


const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function readJson<T>(path: string): Promise<T | undefined> {
  const text = await readTextIfPresent(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new OverparamError('RUN_IO', `${path} is not valid JSON (${(e as Error).message}); it may have been cut short: delete it or the run directory`, { cause: e });
  }
}

/** The complete records of a metrics.jsonl text; a torn last line (no newline, or cut JSON) is left out. */
function parseRecords(text: string): RunRecord[] {
  const lines = text.split('\n');
  // Everything after the last newline is an unfinished line.
  lines.pop();
  const out: RunRecord[] = [];
  for (const [i, line] of lines.entries()) {
    try {
      out.push(JSON.parse(line) as RunRecord);
    } catch {
      // Only the last line can be torn (a kill mid-write); anything earlier is real damage.
      if (i === lines.length - 1) break;
      throw new OverparamError('RUN_IO', `line ${i + 1} of metrics.jsonl is not JSON; the file is damaged`);
    }
  }
  return out;
}

/** A run store of one directory per run under `root`. */
export function directoryStore(root: string): RunStore {
  const base = resolve(root);
  const dir = (id: string) => join(base, id);
  const file = (id: string, name: string) => join(base, id, name);
  const checkpointDir = (id: string) => join(base, id, RUN_FILES.checkpointDir);

  const readText = async (path: string): Promise<string | undefined> => {
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw ioError('read', path, e);
    }
  };

  return {
    location: base,
    where: dir,

    async create(id, config: RunConfig, info: RunInfo) {
      await makeDirectory(dir(id));
      // Exclusive: a second run into the same directory would mix two runs' records.
      const configPath = file(id, RUN_FILES.config);
      try {
        const handle = await open(configPath, 'wx');
        try {
          await handle.writeFile(json(config));
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new OverparamError('RUN_EXISTS', `${dir(id)} already holds a run; continue it with --resume, or choose another directory`);
        }
        throw ioError('write', configPath, e);
      }
      await writeFileAtomic(file(id, RUN_FILES.info), json(info));
      await writeFileAtomic(file(id, RUN_FILES.records), '');
    },

    async updateInfo(id, info) {
      await writeFileAtomic(file(id, RUN_FILES.info), json(info));
    },

    async records(id): Promise<RecordWriter> {
      const path = file(id, RUN_FILES.records);
      // The digest goes on from the records already there (a resume's, cut back to its checkpoint).
      const tally = new RecordsTally(completeLines((await readText(path)) ?? ''));
      const handle = await open(path, 'a').catch((e: unknown) => {
        throw ioError('open for appending', path, e);
      });
      return {
        async write(record) {
          const line = recordLine(record);
          await handle.write(line).catch((e: unknown) => {
            throw ioError('append to', path, e);
          });
          tally.add(line);
        },
        digest: () => tally.digest(),
        async sync() {
          await handle.datasync().catch((e: unknown) => {
            throw ioError('flush', path, e);
          });
        },
        close: () => handle.close(),
      };
    },

    async truncateRecords(id, count) {
      const path = file(id, RUN_FILES.records);
      const records = parseRecords((await readText(path)) ?? '');
      if (records.length < count) {
        throw new OverparamError(
          'CHECKPOINT_CORRUPT',
          `${path} has ${records.length} complete records, but the checkpoint was taken after ${count}; the records were lost (delete the checkpoint directory to start the run over)`,
        );
      }
      await writeFileAtomic(path, records.slice(0, count).map(recordLine).join(''));
    },

    async saveCheckpoint(id, checkpoint: TrainCheckpoint, modelName, config) {
      const target = checkpointDir(id);
      await makeDirectory(target);
      const { tensors, ...train } = checkpoint;
      const tensorsFile = `tensors-${String(checkpoint.step).padStart(9, '0')}.bin`;
      const runConfig = config === undefined ? undefined : { hash: configHash(config), values: config };
      const { manifest, bytes } = encodeCheckpoint(tensors, { modelName, step: checkpoint.step, tensorsFile, train, runConfig });
      await writeFileAtomic(join(target, tensorsFile), bytes);
      await writeFileAtomic(join(target, RUN_FILES.checkpointManifest), json(manifest));
      // Only now is the previous tensors file unreferenced.
      for (const name of await readdir(target)) {
        if (name.startsWith('tensors-') && name !== tensorsFile) await unlink(join(target, name)).catch(() => {});
      }
    },

    async loadCheckpoint(id) {
      const read = await readCheckpointDirectory(checkpointDir(id));
      return read === undefined ? undefined : toTrainCheckpoint(read.manifest, read.tensors, read.where);
    },

    async readCheckpointConfig(id) {
      const path = join(checkpointDir(id), RUN_FILES.checkpointManifest);
      const text = await readText(path);
      return text === undefined ? undefined : parseManifest(text, path).runConfig;
    },

    lock: (id) => lockDirectory(dir(id)),

    async writeSummary(id, summary: RunSummary) {
      await writeFileAtomic(file(id, RUN_FILES.summary), json(summary));
    },

    async clearSummary(id) {
      await rm(file(id, RUN_FILES.summary), { force: true }).catch((e: unknown) => {
        throw ioError('remove', file(id, RUN_FILES.summary), e);
      });
    },

    async writeArtifact(id, name, data) {
      await makeDirectory(dirname(file(id, name)));
      await writeFileAtomic(file(id, name), data);
    },

    async clearArtifacts(id, names) {
      for (const name of names) {
        await rm(file(id, name), { recursive: true, force: true }).catch((e: unknown) => {
          throw ioError('remove', file(id, name), e);
        });
      }
    },

    async status(id): Promise<RunStatus> {
      if (!(await exists(file(id, RUN_FILES.config)))) return 'absent';
      const summary = await readJson<RunSummary>(file(id, RUN_FILES.summary));
      return summary?.outcome ?? 'running';
    },
    readConfig: (id) => readJson<RunConfig>(file(id, RUN_FILES.config)),
    readInfo: (id) => readJson<RunInfo>(file(id, RUN_FILES.info)),
    readSummary: (id) => readJson<RunSummary>(file(id, RUN_FILES.summary)),
    readRecords: async (id) => parseRecords((await readText(file(id, RUN_FILES.records))) ?? ''),
    readRecordsDigest: async (id) => digestOfText((await readText(file(id, RUN_FILES.records))) ?? ''),

    async list() {
      let names: string[];
      try {
        names = await readdir(base);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw ioError('list', base, e);
      }
      const runs: string[] = [];
      for (const name of names.sort()) if (await exists(join(base, name, RUN_FILES.config))) runs.push(name);
      return runs;
    },
  };
}

/**
 * Reads the checkpoint in `path`: a checkpoint directory, or a run directory holding one. Returns
 * undefined when there is none; throws CHECKPOINT_CORRUPT naming the file when it is damaged.
 */
export async function readCheckpointDirectory(path: string) {
  const candidates = [join(path, RUN_FILES.checkpointManifest), join(path, RUN_FILES.checkpointDir, RUN_FILES.checkpointManifest)];
  for (const manifestPath of candidates) {
    let text: string;
    try {
      text = await readFile(manifestPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
      throw ioError('read', manifestPath, e);
    }
    const manifest = parseManifest(text, manifestPath);
    const tensorsPath = join(dirname(manifestPath), basename(manifest.tensorsFile));
    let bytes: Buffer;
    try {
      bytes = await readFile(tensorsPath);
    } catch (e) {
      throw new OverparamError('CHECKPOINT_CORRUPT', `checkpoint ${manifestPath} names ${tensorsPath}, which cannot be read (${(e as Error).message}); delete the checkpoint to start the run over`, { cause: e });
    }
    const tensors = decodeTensors(manifest, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), tensorsPath);
    return { manifest, tensors, where: manifestPath };
  }
  return undefined;
}

/** `runs/x` as a store and an id: the parent directory and the last path component. */
export function runDirectory(path: string): { store: RunStore; id: string } {
  const absolute = resolve(path);
  return { store: directoryStore(dirname(absolute)), id: basename(absolute) };
}
