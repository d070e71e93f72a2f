import { architectureNames, defaultDataShape, describeArchitecture, getArchitecture, optionsFromData } from '@overparam/architectures';
import { ConfigError, selectBackend } from '@overparam/core';
import { Option, type Command } from 'commander';
import { archFlagHelp, archOptionsFromFlags, architectureFlags, kebab } from './arch-flags';
import { EXIT_OK, UsageError } from './errors';
import type { CliIo } from './io';

/**
 * `overparam describe --arch NAME [options]`: the architecture's display name, parameter counts
 * and the shape of every parameter, as one JSON object. Its flags come from the architectures'
 * own option schemas; the data-set-derived options (input shape, classes) default to the shape
 * each architecture assumes (CIFAR-like for image nets, MNIST for flat ones) and can be overridden.
 */
export function addDescribeCommand(program: Command, io: CliIo, done: (code: number) => void): void {
  const flags = architectureFlags({ withDataSizes: true });
  const command = program
    .command('describe')
    .description('print an architecture\'s name, parameter counts and parameter shapes as JSON, without training')
    .addOption(new Option('--arch <name>', `architecture; one of: ${architectureNames().join(', ')}`).makeOptionMandatory());
  for (const f of flags) {
    if (f.boolean) {
      command.addOption(new Option(f.flag, archFlagHelp(f)));
      command.addOption(new Option(`--no-${f.flag.slice(2)}`, `turn ${f.flag.slice(2)} off`));
    } else {
      command.addOption(new Option(`${f.flag} <value>`, archFlagHelp(f)));
    }
  }
  command.option('--verbose', 'print stack traces of unexpected errors');
  command.addHelpText('after', '\nExample:\n  overparam describe --arch wrn --depth 28 --width-factor 10 --no-batch-norm');

  command.action(async (values: Record<string, unknown>) => {
    const arch = String(values.arch);
    if (!architectureNames().includes(arch)) throw new UsageError('--arch', `unknown architecture '${arch}'; expected one of: ${architectureNames().join(', ')}`);
    const entry = getArchitecture(arch);
    const options = { ...optionsFromData(entry, defaultDataShape(entry)), ...archOptionsFromFlags(arch, flags, values) };
    // Parameters are created (and freed) to read their shapes; the cpu backend is always there.
    await selectBackend('cpu');
    try {
      io.stdout.write(`${JSON.stringify(describeArchitecture(arch, options), null, 2)}\n`);
    } catch (e) {
      // Schema errors name an option; say it as the flag that sets it.
      if (e instanceof ConfigError) throw new UsageError(kebab(e.field.split('.')[0]!), e.message.slice(e.field.length + 2));
      throw e;
    }
    done(EXIT_OK);
  });
}
