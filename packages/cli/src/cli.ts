import { Command, CommanderError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { addBackendsCommand } from './backends-command';
import { addDescribeCommand } from './describe-command';
import { addDataCommand } from './data-command';
import { describeError, EXIT_USAGE, UsageError } from './errors';
import type { CliIo } from './io';
import { addMeasureCommand, measureFieldFlag } from './measure-command';
import { registerShippedBackends } from './register-backends';
import { addSetupCommand } from './setup-command';
import { addSweepCommand } from './sweep-command';
import { addReportCommand } from './report-command';
import { addReproduceCommand } from './reproduce-command';
import { addTrainCommand } from './train-command';
import { flagForField, trainFlags } from './train-flags';

/** Commander's messages start with "error: " and may add a "(Did you mean …?)" line; we print one line. */
function commanderLine(e: CommanderError): string {
  return `overparam: ${e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}`;
}

/** An error line quotes what the user typed; a newline or control character in it stays visible as an escape and cannot break the line. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/**
 * A file or directory flag given as '' would mean the current directory (`--out ''` wrote a run
 * there, "see /summary.json"): refused for every option whose argument is a <dir>, <file> or <path>.
 */
function refuseEmptyPaths(command: Command): void {
  const values = command.opts();
  for (const option of command.options) {
    if (!/<(dir|file|path)>/.test(option.flags)) continue;
    const value: unknown = values[option.attributeName()];
    if (value === '' || (Array.isArray(value) && value.includes(''))) throw new UsageError(option.long ?? option.flags, `is empty; name a ${/<file>/.test(option.flags) ? 'file' : 'directory'}`);
  }
}

/**
 * Every command and flag of `overparam`, not yet run: `runCli` parses with it, and tests walk its
 * commands and options (the fuzz test drives every flag it declares). `done` receives the exit code.
 */
export function buildProgram(io: CliIo, done: (code: number) => void): Command {
  registerShippedBackends();
  const specs = trainFlags();
  const program = new Command('overparam')
    .enablePositionalOptions()
    .description('Measure how architecture shapes SGD: train configured runs on TensorFlow.js.')
    .version(packageJson.version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Errors are printed below, as one line, with our exit code.
      outputError: () => {},
    });
  program.addHelpText(
    'after',
    '\nExamples:\n  overparam reproduce --list\n  overparam backends\n  overparam data list\n  overparam data inspect --data fashion-mnist\n  overparam train --data synthetic --depth 1 --width 16 --steps 200 --out runs/tiny\n  overparam train --help\n  overparam measure --data synthetic --metric confusion --n 256 --out runs/confusion',
  );
  program.hook('preAction', (_program, action) => refuseEmptyPaths(action));
  addBackendsCommand(program, io, done);
  addTrainCommand(program, specs, io, done);
  addMeasureCommand(program, specs, io, done);
  addDescribeCommand(program, io, done);
  addDataCommand(program, io, done);
  addSweepCommand(program, io, done);
  addReportCommand(program, io, done);
  addReproduceCommand(program, io, done);
  addSetupCommand(program, io, done);
  return program;
}

/**
 * The whole command line, in-process: parses `argv` (the arguments after the program name),
 * runs the command, writes to `io` and resolves to the exit code instead of exiting, so tests
 * can call it directly. Exit codes: 0 done, 1 failed, 2 bad usage, 130 interrupted.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are "errors" to commander; their exit codes are its own (0, or 1 for bare `overparam`).
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return e.exitCode;
      io.stderr.write(`${oneLine(commanderLine(e))}\n`);
      return EXIT_USAGE;
    }
    const trainFlagOf = flagForField(trainFlags());
    const described = describeError(e, (field) => trainFlagOf(field) ?? measureFieldFlag(field), argv.includes('--verbose'));
    // The error itself is one line; a stack trace (--verbose) follows it as it is.
    const [first, ...rest] = described.lines;
    io.stderr.write(`${[oneLine(first!), ...rest].join('\n')}\n`);
    return described.code;
  }
}
