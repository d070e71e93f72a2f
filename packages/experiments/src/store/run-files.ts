/**
 * The run-directory layout, in this one file, free of Node so that a browser can export a run in
 * it. Run `id` of a store rooted at ROOT is ROOT/id/:
 *
 * - `config.json`: the resolved run config, exactly what `parseRunConfig` returns; it replays
 *   the run (`overparam train --config`) and is the form a sweep's `base` takes;
 * - `run.json`: what the run got — backend, model, and one entry per start or resume;
 * - `metrics.jsonl`: one record per line, appended as training goes;
 * - `summary.json`: written atomically when the run ends (its presence means it ended);
 * - `checkpoint/checkpoint.json` + `checkpoint/tensors-<step>.bin`: the latest checkpoint. The
 *   tensors file is written first and the manifest last (atomically), so a kill at any moment
 *   leaves either the old checkpoint or the new one whole;
 * - artifacts of measurements (`measure.json`, `gram.f64`, `examples.json`, …).
 */
export const RUN_FILES = {
  config: 'config.json',
  info: 'run.json',
  records: 'metrics.jsonl',
  summary: 'summary.json',
  checkpointDir: 'checkpoint',
  checkpointManifest: 'checkpoint.json',
} as const;
