import { architectureNames, defaultDataShape, describeArchitecture, getArchitecture, optionsFromData, parseArchitectureOptions } from '@overparam/architectures';
import { ConfigError, selectBackend } from '@overparam/core';
import { archOptionsWithDefaults, flagOfPath, parameterBudgetProblem } from '@overparam/experiments';
import { Option, type Command } from 'commander';
import { archOptionsFromFlags, architectureFlags } from './arch-flags';
import { EXIT_OK, UsageError } from './errors';
import { addFlagSpecs } from './field-flags';
import type { CliIo } from './io';

/**
 * `overparam describe --arch NAME [options]`: the architecture's display name, parameter counts
 * and the shape of every parameter, as one JSON object. Its flags come from the architectures'
 * own option schemas; the data-set-derived options (input shape, classes) default to the shape
 * each architecture assumes (CIFAR-like for image nets, MNIST for flat ones) and can be overridden.
 */
export function addDescribeCommand(program: Command, io: CliIo, done: (code: number) => void): void {
  const specs = architectureFlags({ withDataSizes: true });
  const command = program
    .command('describe')
    .description('print an architecture\'s name, parameter counts and parameter shapes as JSON, without training')
    .addOption(new Option('--arch <name>', `architecture; one of: ${architectureNames().join(', ')}`).makeOptionMandatory());
  addFlagSpecs(command, specs);
  command.option('--verbose', 'print stack traces of unexpected errors');
  command.addHelpText('after', '\nExample:\n  overparam describe --arch wrn --depth 28 --width-factor 10 --no-batch-norm');

  command.action(async (values: Record<string, unknown>) => {
    const arch = String(values.arch);
    if (!architectureNames().includes(arch)) throw new UsageError('--arch', `unknown architecture '${arch}'; expected one of: ${architectureNames().join(', ')}`);
    const entry = getArchitecture(arch);
    // The same defaults as `train` (a bare --arch mlp is MLP-3-100), and the data shape the net assumes.
    const options = { ...optionsFromData(entry, defaultDataShape(entry)), ...archOptionsWithDefaults(arch, archOptionsFromFlags(arch, specs, values)) };
    // Parameters are created (and freed) to read their shapes; the cpu backend is always there.
    await selectBackend('cpu');
    try {
      // A net too large to hold is refused from its sizes, before one of its weights is drawn.
      const tooLarge = parameterBudgetProblem(arch, parseArchitectureOptions(arch, options), archOptionsFromFlags(arch, specs, values));
      if (tooLarge !== undefined) throw tooLarge;
      io.stdout.write(`${JSON.stringify(describeArchitecture(arch, options), null, 2)}\n`);
    } catch (e) {
      // Schema errors name an option; say it as the flag that sets it.
      if (e instanceof ConfigError) throw new UsageError(flagOfPath(specs.flatMap((s) => s.fields), `archOptions.${e.field}`) ?? e.field, e.detail);
      throw e;
    }
    done(EXIT_OK);
  });
}
