import { architectureNames, defaultDataShape, describeArchitecture, describeImported, getArchitecture, optionsFromData, parseArchitectureOptions } from '@overparam/architectures';
import { ConfigError, selectBackend } from '@overparam/core';
import { archOptionsWithDefaults, configFields, flagOfPath, modelArchProblem, parameterBudgetProblem, resolveModelPath } from '@overparam/experiments';
import { loadModelFile } from '@overparam/architectures/node';
import { Option, type Command } from 'commander';
import { archOptionsFromFlags, architectureFlags } from './arch-flags';
import { EXIT_OK, UsageError } from './errors';
import { addFlagSpecs, flagSpecs } from './field-flags';
import type { CliIo } from './io';

/** A model file's imported structure (which layers are fast, the path it takes) and parameters, as JSON; the path's notice on stderr. */
async function describeModelFile(file: string, io: CliIo): Promise<void> {
  await selectBackend('cpu');
  const path = resolveModelPath(file);
  const model = await loadModelFile(path);
  try {
    const description = describeImported(model);
    io.stderr.write(`overparam: ${description.notice}\n`);
    io.stdout.write(`${JSON.stringify({ file: path, ...description }, null, 2)}\n`);
  } finally {
    model.dispose();
  }
}

/**
 * `overparam describe --arch NAME [options]` (or `--model FILE`): the architecture's display name, parameter counts
 * and the shape of every parameter, as one JSON object. Its flags come from the architectures'
 * own option schemas; the data-set-derived options (input shape, classes) default to the shape
 * each architecture assumes (CIFAR-like for image nets, MNIST for flat ones) and can be overridden.
 */
export function addDescribeCommand(program: Command, io: CliIo, done: (code: number) => void): void {
  const specs = architectureFlags({ withDataSizes: true });
  const command = program
    .command('describe')
    .description('print an architecture\'s name, parameter counts and parameter shapes as JSON, without training')
    .addOption(new Option('--arch <name>', `architecture; one of: ${architectureNames().join(', ')}`));
  // --model is the run config's own field and flag, as train and measure take it.
  const modelFlag = flagSpecs(configFields().filter((f) => f.path === 'model'));
  addFlagSpecs(command, [...modelFlag, ...specs]);
  command.option('--verbose', 'print stack traces of unexpected errors');
  command.addHelpText('after', '\nExamples:\n  overparam describe --arch wrn --depth 28 --width-factor 10 --no-batch-norm\n  overparam describe --model fixtures/my-cnn/model.json');

  command.action(async (values: Record<string, unknown>) => {
    if (values.model !== undefined) {
      const given = specs.filter((s) => values[s.key] !== undefined);
      const problem = modelArchProblem({ model: values.model, arch: values.arch, archOptions: Object.fromEntries(given.map((s) => [s.key, values[s.key]])) });
      if (problem !== undefined) throw new UsageError(problem.field === 'model' ? '--model' : given[0]!.flags.split(' ')[0]!, problem.detail);
      await describeModelFile(String(values.model), io);
      done(EXIT_OK);
      return;
    }
    if (values.arch === undefined) throw new UsageError('--arch', 'give an architecture (--arch NAME) or a model file (--model model.json)');
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
