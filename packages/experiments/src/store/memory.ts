import { OverparamError, type RunRecord, type TrainCheckpoint } from '@overparam/core';
import type { RunConfig } from '../config/config';
import type { RunSummary } from './summary';
import { configHash } from '../run/run-integrity';
import { recordLine, RecordsTally } from './records-digest';
import type { RecordWriter, RunInfo, RunStatus, RunStore } from './types';

interface MemoryRun {
  config: RunConfig;
  info: RunInfo;
  records: RunRecord[];
  checkpoint?: TrainCheckpoint;
  checkpointConfig?: { hash: string; values: RunConfig };
  summary?: RunSummary;
  artifacts: Map<string, Uint8Array | string>;
}

/**
 * Runs kept in memory: browsers, notebooks and tests. Same contract as the directory store;
 * values are copied in and out (through JSON for records), so callers cannot alter a stored run.
 */
export function memoryStore(): RunStore & { artifact(id: string, name: string): Uint8Array | string | undefined } {
  const runs = new Map<string, MemoryRun>();
  // Ids being written: one writer per run, as a run directory's lock file gives.
  const locked = new Set<string>();
  const tallyOf = (records: readonly RunRecord[]) => {
    const tally = new RecordsTally();
    for (const r of records) tally.add(recordLine(r));
    return tally;
  };
  const get = (id: string): MemoryRun => {
    const run = runs.get(id);
    if (run === undefined) throw new OverparamError('RUN_ABSENT', `no run '${id}' in memory`);
    return run;
  };
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  return {
    location: 'memory',
    where: (id) => `memory:${id}`,
    async create(id, config, info) {
      if (runs.has(id)) throw new OverparamError('RUN_EXISTS', `memory:${id} already holds a run`);
      runs.set(id, { config: copy(config), info: copy(info), records: [], artifacts: new Map() });
    },
    async updateInfo(id, info) {
      get(id).info = copy(info);
    },
    async records(id): Promise<RecordWriter> {
      const run = get(id);
      const tally = tallyOf(run.records);
      return {
        write: async (r) => {
          run.records.push(copy(r));
          tally.add(recordLine(r));
        },
        digest: () => tally.digest(),
        sync: async () => {},
        close: async () => {},
      };
    },
    async truncateRecords(id, count) {
      const run = get(id);
      if (run.records.length < count) throw new OverparamError('CHECKPOINT_CORRUPT', `memory:${id} has ${run.records.length} records, its checkpoint counts ${count}`);
      run.records.length = count;
    },
    async saveCheckpoint(id, checkpoint, _modelName, config) {
      const run = get(id);
      run.checkpoint = { ...checkpoint, tensors: checkpoint.tensors.map((t) => ({ ...t, values: t.values.slice() })) };
      run.checkpointConfig = config === undefined ? undefined : { hash: configHash(config), values: copy(config) };
    },
    async loadCheckpoint(id) {
      return get(id).checkpoint;
    },
    readCheckpointConfig: async (id) => (runs.get(id)?.checkpointConfig === undefined ? undefined : copy(runs.get(id)!.checkpointConfig)),
    async lock(id) {
      if (locked.has(id)) throw new OverparamError('RUN_LOCKED', `memory:${id} is being written by another run; wait for it to end`);
      locked.add(id);
      let held = true;
      return {
        release: async () => {
          if (held) locked.delete(id);
          held = false;
        },
      };
    },
    async writeSummary(id, summary) {
      get(id).summary = copy(summary);
    },
    async clearSummary(id) {
      delete get(id).summary;
    },
    async writeArtifact(id, name, data) {
      get(id).artifacts.set(name, typeof data === 'string' ? data : data.slice());
    },
    async clearArtifacts(id, names) {
      const run = runs.get(id);
      for (const name of names) run?.artifacts.delete(name);
    },
    artifact: (id, name) => runs.get(id)?.artifacts.get(name),
    async status(id): Promise<RunStatus> {
      const run = runs.get(id);
      if (run === undefined) return 'absent';
      return run.summary?.outcome ?? 'running';
    },
    readConfig: async (id) => (runs.has(id) ? copy(get(id).config) : undefined),
    readInfo: async (id) => (runs.has(id) ? copy(get(id).info) : undefined),
    readSummary: async (id) => (runs.get(id)?.summary === undefined ? undefined : copy(get(id).summary)),
    readRecords: async (id) => (runs.has(id) ? copy(get(id).records) : []),
    readRecordsDigest: async (id) => tallyOf(runs.get(id)?.records ?? []).digest(),
    list: async () => [...runs.keys()].sort(),
  };
}
