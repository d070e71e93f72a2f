export { runConfigSchema, parseRunConfig, FULL_BATCH, stepBatchSize, archOptionsWithDefaults, modelArchProblem, runConfigInputSchema, parameterBudgetProblem, MAX_PARAMETER_BYTES, DEFAULT_ARCH, ARCH_OPTION_DEFAULTS, type RunConfig, type RunConfigInput } from './config/config';
export { configFields, archFields, allArchFields, flagOfPath, kebab, type FieldDescriptor, type FieldKind, type FieldRange } from './config/fields';
export { lossForData, defaultLoss, DEFAULT_LOSS_BY_TASK } from './config/loss';
export { prepareRun, type PreparedRun } from './run/prepare';
export { type ImportedModelRecord } from './run/imported-model';
export { resolveModelPath, readModelFiles, type ModelFileBytes } from './config/model-file';
export { run, type RunOptions, type RunResult, type RunStart, type ResumeMode, type Trainer } from './run/run';
export { runGroup, formReplicaGroups, planReplicaGroups, replicaGroupKey, MAX_AUTO_REPLICAS, DEFAULT_REPLICAS, presetReplicas, type ReplicasOption, type ReplicaSteps, type GroupMember, type GroupOptions } from './run/replica-group';
export { finiteOrNull, type RunSummary, type RunOutcome } from './store/summary';
export { memoryStore } from './store/memory';
export { RUN_FILES } from './store/run-files';
export { runStatuses, type RunStore, type RunStatus, type RunInfo, type RecordWriter, type RunLock } from './store/types';
export { recordsMismatch, type RecordsDigest } from './store/records-digest';
export { configHash } from './run/run-integrity';
export {
  CHECKPOINT_FORMAT,
  encodeCheckpoint,
  parseManifest,
  decodeTensors,
  toTrainCheckpoint,
  type CheckpointManifest,
} from './store/checkpoint-format';
export { setAtPath, getAtPath, parseAssignments } from './config/dotted-path';
export { measure, type MeasureOptions, type Measurement, type MeasuredExamples } from './measure/measure';
export { measureRun, measureMetricNames, measureAliases, parseMeasureSpec, type MeasureRunOptions } from './measure/measurement-run';
export { MEASUREMENT_FILES, decodeGram, readMeasurementFiles, type MeasurementFiles } from './measure/measurement-files';
export { parseSweep, sweepCells, sweepSchema, stableHash, canonicalJson, type SweepSpec, type SweepCell } from './sweep/sweep';
export { parseShard, shardFromEnvironment, inShard, type Shard } from './sweep/shard';
export { lrRules, lrRuleNames, lrSearchSchema, lrSearchGrid, lrSearchRuns, pickLearningRate, type LrSearch, type LrRule, type LrPick, type LrCandidate } from './sweep/lr-search';
export { slurmScript, kubernetesJob, type EmitOptions } from './sweep/emit';
export { presets, presetIds, getPreset, presetSweeps, type PresetOverride } from './presets/registry';
export { presetScales, DEFAULT_PRESET_SCALE, verdicts, type Verdict, type Preset, type PresetScale, type PresetScaleSpec, type PresetSweep, type PresetResults, type SweepResult, type CellResult, type CriterionResult, type JudgedRuns } from './presets/preset';
export { presetProtocol, type PresetProtocol, type ProtocolRow } from './presets/protocol';
export { figuresOfSection } from './presets/section-figures';
export { duRatePerStep, duLossBound } from './presets/du-linear-rate';
export { readSweepResult, evaluateCriteria, criteriaPass } from './results/preset-results';
export type { RunView } from './results/run-view';
export { recordsOf, numberField, lastRecord, lastValue, firstValue, settingOf } from './results/records';
export { runsAtPickedRates, gridPointOf, type RatePick } from './results/picked-rates';
export { labelRuns, nameSettings, settingLabel, shortKey, asSetting, withSettings, type SettingNames, type SettingValue, type RunLabels, type LabelledRunView } from './results/labels';
export { readRunViews, loadRuns, type RunSource, type RunEntry } from './results/read-runs';
export { SWEEP_FILES, checkSweepManifest, checkLrPicks, type SweepManifest, type SweepManifestCell, type LrPickView } from './sweep/sweep-manifest';
export { passIf, sweepOf, completed, groupBy, mean, rankCorrelation, fitLine, trend, fmt, describeTrend, trendCriterion, valueCriterion, maxRelativeGap } from './presets/criteria';
/** The record kind of the least linear loss (Arora et al.'s (2018) offset), which LR rules and reports read. */
export { OPTIMAL_LOSS_RECORD } from '@overparam/metrics';
