import type { ArchitectureEntry } from './architecture-entry';
import { deepLinearEntry } from './deep-linear-entry';
import { duMlpEntry, duResNetEntry } from './du-entries';
import { mlpEntry } from './mlp-entry';
import { mnistConvnetEntry } from './mnist-convnet';
import { cnnEntry, wrnEntry } from './wide-resnet-entry';

/**
 * The architectures this package ships, in the order `architectureNames()` lists them. The
 * registry starts with these; `nx g @overparam/tools:architecture` adds an import above and a
 * line at the end of this list, and touches nothing else.
 */
export const builtinArchitectures: ReadonlyArray<ArchitectureEntry<Record<string, unknown>>> = [
  mlpEntry,
  deepLinearEntry,
  duMlpEntry,
  duResNetEntry,
  wrnEntry,
  cnnEntry,
  mnistConvnetEntry,
];
