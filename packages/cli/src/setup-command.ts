import { Argument, type Command } from 'commander';
import { EXIT_OK } from './errors';
import type { CliIo } from './io';
import { setupNodeBackend } from './setup/node-backend';

/**
 * `overparam setup node-backend`: a thin wrapper over setup/node-backend.ts, which holds all the
 * logic (and its typed errors, printed as one line by the CLI's error handler).
 */
export function addSetupCommand(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('setup')
    .description('install an optional backend from registry packages (node-backend: native TensorFlow, the fastest in Node)')
    .addArgument(new Argument('<what>', 'what to set up').choices(['node-backend']))
    .option('--cache-dir <dir>', 'where the TensorFlow wheel and library are kept between runs (default: $OVERPARAM_CACHE_DIR or ~/.cache/overparam)')
    .option('--python <path>', 'Python 3 with pip, used to fetch and unpack the wheel', 'python3')
    .option('--force', 'rebuild the binding even when one is in place')
    .option('--verbose', 'print stack traces of unexpected errors')
    .action(async (_what: string, options: { cacheDir?: string; python: string; force?: boolean }) => {
      const result = await setupNodeBackend({ cacheDir: options.cacheDir, python: options.python, force: options.force === true, log: (line) => io.stderr.write(`overparam: ${line}\n`) });
      const did = [result.downloaded ? 'downloaded' : undefined, result.installed ? 'installed' : undefined, result.built ? 'built' : undefined].filter((s) => s !== undefined);
      io.stdout.write(
        `node backend ready: TensorFlow ${result.tensorflowVersion} in ${result.tfjsNodeDir} (${did.length === 0 ? 'already set up, nothing to do' : did.join(', ')}); use it with --backend node, or let --backend auto pick it\n`,
      );
      done(EXIT_OK);
    });
}
