import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** Backends to run, in order; `undefined` means all that are registered. */
  readonly backends: readonly string[] | undefined;
  /** Substrings a suite name must contain (any of them); `undefined` means every suite. */
  readonly suites: readonly string[] | undefined;
  /** Substrings a suite's workload name must contain (any of them), for suites with named workloads (`replicas`); `undefined` means all. */
  readonly models: readonly string[] | undefined;
  readonly quick: boolean;
  readonly help: boolean;
  /** `pytorch`: run the side-by-side comparison (vs-pytorch.ts) instead of the suites. */
  readonly vs: 'pytorch' | undefined;
  /** With `vs`: substrings a row name must contain (any of them); `undefined` means every row. */
  readonly rows: readonly string[] | undefined;
}

export const usage = `usage: npm run bench -- [--backend cpu,wasm,node] [--suite mlp] [--model DLN] [--quick] [--vs pytorch [--row eigen]]
  --backend  comma-separated backends to run (default: cpu,wasm,node; one that cannot load is reported as skipped)
  --suite    comma-separated suite filters; a suite runs if its name contains any of them (default: all)
  --model    comma-separated workload filters for suites with named workloads (replicas): a workload runs if its name contains any (default: all)
  --quick    smoke run: shorter and fewer repetitions; numbers are not comparable with a full run
  --vs       pytorch: the same workloads in PyTorch side by side, with ratio lines (ours / PyTorch) and targets
  --row      with --vs: comma-separated row filters; a row runs if its name contains any of them (default: all; rows in tools/bench/README.md)
JSON lines go to stdout, progress to stderr.`;

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.length > 0 ? items : undefined;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      backend: { type: 'string' },
      suite: { type: 'string' },
      model: { type: 'string' },
      quick: { type: 'boolean', default: false },
      vs: { type: 'string' },
      row: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.vs !== undefined && values.vs !== 'pytorch') throw new Error(`--vs: only 'pytorch' is known, got '${values.vs}'`);
  if (values.row !== undefined && values.vs === undefined) throw new Error('--row filters the rows of --vs pytorch; for the suites use --suite and --model');
  return { backends: list(values.backend), suites: list(values.suite), models: list(values.model), quick: values.quick === true, help: values.help === true, vs: values.vs, rows: list(values.row) };
}
