/**
 * What needs files: the directory run store and reading checkpoints from disk. Node only, so
 * it lives behind `@overparam/experiments/node` and the main entry stays usable in a browser.
 */
export { directoryStore, runDirectory, readCheckpointDirectory } from './store/directory';
export { RUN_FILES } from './store/run-files';
export { ioError, makeDirectory, writeFileAtomic } from './store/files';
export { lockDirectory, readLockHolder, isStale, LOCK_FILE, type DirectoryLock, type LockHolder, type LockOptions } from './store/lock';
export { runSweep, runSweepCell, sweepStore, pickRates, type SweepOptions, type SweepProgress, type SweepReport } from './sweep/sweep-runner';
export { readSweepDirectory, readSweepManifest, readLrPicks, writeLrPicks } from './sweep/sweep-files';
export { SWEEP_FILES } from './sweep/sweep-manifest';
export { mergeSweeps, type MergeReport } from './sweep/sweep-merge';
export { SweepWorker, errorReply, type ToWorker, type FromWorker } from './sweep/sweep-worker';
export { reproducePreset, writePresetSweepFiles, PRESET_FILES, type ReproduceOptions, type Reproduction } from './presets/preset-runner';
