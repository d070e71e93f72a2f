/**
 * One row of ours for `--vs pytorch`, in a process of its own (see vs-rows.ts for why). Run by
 * vs-pytorch.ts; prints one JSON object on stdout: the measurement with the backend's load-time
 * settings, `{ skipped }` or `{ error }`. Arguments: <backend> <row name> [--quick].
 */
import { selectBackend } from '@overparam/core';
import { registerBenchBackends } from './backends';
import { fullSettings, quickSettings } from './suite';
import { ours, vsRows } from './vs-rows';

const [backend = 'cpu', name = '', flag] = process.argv.slice(2);
const settings = flag === '--quick' ? quickSettings : fullSettings;
const write = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const row = vsRows.find((r) => r.name === name);
if (row === undefined) {
  write({ error: `unknown row '${name}'; rows: ${vsRows.map((r) => r.name).join(', ')}` });
} else {
  registerBenchBackends();
  const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
  const selection = await selectBackend(backend, { workload: row.workload }).catch((e: unknown) => message(e));
  if (typeof selection === 'string') {
    write({ skipped: selection });
  } else {
    try {
      const result = await ours(row, backend, settings);
      write(typeof result === 'string' ? { skipped: result } : { ...result, backendSettings: selection.settings });
    } catch (e) {
      write({ error: message(e) });
    }
  }
}
