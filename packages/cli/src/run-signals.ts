import { EXIT_INTERRUPTED, EXIT_TERMINATED } from './errors';
import type { CliIo } from './io';

/**
 * SIGINT and SIGTERM stop a run after its current step: the handler says so at once, aborts
 * the run's signal, and the run checkpoints and writes its summary (`aborted`). A second Ctrl-C,
 * with the handler gone, kills the process as usual.
 */
export function stopOnSignals(io: CliIo, what: string): { signal: AbortSignal; exitCode: () => number | undefined; dispose: () => void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (name: NodeJS.Signals) => {
    received = name;
    io.stderr.write(`\noverparam: ${name} received: stopping ${what} after the current step and writing a checkpoint (${name === 'SIGINT' ? 'Ctrl-C again quits at once' : 'SIGKILL quits at once'})\n`);
    controller.abort();
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return {
    signal: controller.signal,
    exitCode: () => (received === 'SIGINT' ? EXIT_INTERRUPTED : received === 'SIGTERM' ? EXIT_TERMINATED : undefined),
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
