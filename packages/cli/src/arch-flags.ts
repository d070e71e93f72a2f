import { allArchFields } from '@overparam/experiments';
import { fieldForArch, flagSpecs, parseFlagValue, type FlagSpec } from './field-flags';

/**
 * Every option of every registered architecture as a flag (`--width-factor`, `--no-skip`,
 * `--hidden-widths`, …), read from the architectures' schemas through experiments' field
 * descriptors, so a new architecture needs no CLI change. With `withDataSizes` the sizes a data
 * set fixes (`--input-dim`, `--classes`, …) are flags too: `describe` has no data set.
 */
export function architectureFlags(options: { withDataSizes?: boolean } = {}): FlagSpec[] {
  return flagSpecs(allArchFields().filter((f) => options.withDataSizes === true || f.fromData !== true));
}

/**
 * The options of `arch` given on the command line (commander's parsed values), typed per the
 * architecture's schema. A flag that `arch` does not take is a UsageError that lists what it does.
 */
export function archOptionsFromFlags(arch: string, specs: readonly FlagSpec[], values: Record<string, unknown>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const spec of specs) {
    if (values[spec.key] === undefined) continue;
    const field = fieldForArch(spec, arch, specs);
    options[field.path.slice('archOptions.'.length)] = parseFlagValue(spec.flags.split(' ')[0]!, values[spec.key], field);
  }
  return options;
}
