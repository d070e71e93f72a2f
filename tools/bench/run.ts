/**
 * `npm run bench`: runs every selected suite on every selected backend and prints one JSON line per
 * measurement on stdout. See tools/bench/README.md for the fields.
 */
import { parseBenchArgs, usage, type BenchArgs } from './args';
import { activate, benchBackends, registerBenchBackends } from './backends';
import { dataBatchesSuite } from './data';
import { emitSkipped, log } from './emit';
import { gramBenchSuite } from './gram';
import { importBenchSuite } from './import';
import { lossReadsSuite } from './loss-reads';
import { mlpTrainSuite } from './mlp';
import { fullSettings, quickSettings, type Suite } from './suite';
import { spectrumSuite } from './spectrum';
import { sweepSuite } from './sweep';
import { runVsPytorch, selectVsRows } from './vs-pytorch';
import { replicasSuite } from './replicas';
import { wrnTrainSuite } from './wrn';

const suites: readonly Suite[] = [mlpTrainSuite, lossReadsSuite, dataBatchesSuite, gramBenchSuite, spectrumSuite, wrnTrainSuite, sweepSuite, replicasSuite, importBenchSuite];

function selectSuites(args: BenchArgs): Suite[] {
  if (args.suites === undefined) return [...suites];
  const chosen = suites.filter((s) => args.suites!.some((f) => s.name.includes(f)));
  if (chosen.length === 0) throw new Error(`no suite matches --suite ${args.suites.join(',')}; suites: ${suites.map((s) => s.name).join(', ')}`);
  return chosen;
}

function selectBackends(args: BenchArgs): string[] {
  const known: readonly string[] = benchBackends;
  if (args.backends === undefined) return [...known];
  const unknown = args.backends.filter((b) => !known.includes(b));
  if (unknown.length > 0) throw new Error(`unknown backend ${unknown.join(', ')}; choose from ${known.join(', ')}`);
  return [...args.backends];
}

async function main(): Promise<void> {
  let args: BenchArgs;
  let chosenSuites: Suite[];
  let backends: string[];
  let vsRows: ReturnType<typeof selectVsRows> | undefined;
  try {
    args = parseBenchArgs(process.argv.slice(2));
    chosenSuites = selectSuites(args);
    backends = selectBackends(args);
    vsRows = args.vs === undefined ? undefined : selectVsRows(args.rows);
  } catch (e) {
    // A usage mistake: say what was wrong and how to call, without a stack trace.
    process.stderr.write(`${(e as Error).message}\n${usage}\n`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stderr.write(`${usage}\n`);
    return;
  }
  const settings = args.quick ? quickSettings : fullSettings;
  // Before any backend loads; with several suites selected, their wishes apply to all of them (each line that cares records it).
  // Not for --vs pytorch: each of its rows lets the backend choose for the row's workload (oneDNN off for a solo narrow MLP).
  if (args.vs === undefined) for (const suite of chosenSuites) for (const [key, value] of Object.entries(suite.env ?? {})) process.env[key] ??= value;
  registerBenchBackends();

  const started = performance.now();
  if (args.vs === 'pytorch') {
    await runVsPytorch(backends, settings, vsRows);
    log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return;
  }
  for (const backend of backends) {
    const reason = await activate(backend);
    if (reason !== undefined) {
      log(`${backend}: skipped (${reason})`);
      for (const suite of chosenSuites) emitSkipped(suite.name, backend, reason);
      continue;
    }
    for (const suite of chosenSuites) {
      log(`${suite.name} on ${backend}${args.quick ? ' (quick)' : ''}`);
      await suite.run({ backend, settings, models: args.models });
    }
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
