/**
 * The `replicas` suite's solo line in a process of its own: one workload trained alone with
 * `train()`, on a backend loaded with the settings it picks for that solo run (on node, oneDNN
 * off for a small dense net; the suite's own process has it on for the groups). Run by
 * replicas.ts; prints the measurement line (or an error line) on stdout.
 * Arguments: <backend> <workload name> [--quick].
 */
import { selectBackend } from '@overparam/core';
import { registerBenchBackends } from './backends';
import { emitError } from './emit';
import { measure, workloads } from './replicas';
import { fullSettings, quickSettings } from './suite';

const [backend = 'cpu', name = '', flag] = process.argv.slice(2);
const workload = workloads.find((w) => w.name === name);
if (workload === undefined) {
  emitError('replicas', 'solo', backend, `unknown workload '${name}'; workloads: ${workloads.map((w) => w.name).join(', ')}`);
} else {
  registerBenchBackends();
  const selected = await selectBackend(backend, { workload: workload.solo }).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
  if (typeof selected === 'string') emitError('replicas', 'solo', backend, selected, { model: name });
  else await measure(workload, 0, { backend, settings: flag === '--quick' ? quickSettings : fullSettings }, selected.settings);
}
