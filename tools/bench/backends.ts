/**
 * The backends the benchmark knows: the ones the CLI ships (its list, read here rather than
 * restated), registered as the CLI does and activated by name in turn.
 */
import { selectBackend } from '@overparam/core';
import { nodeBackendPlugins, registerShippedBackends } from '../../packages/cli/src/register-backends';

export const benchBackends: readonly string[] = nodeBackendPlugins.map((plugin) => plugin.name);

export const registerBenchBackends = registerShippedBackends;

/** Activates `name`; resolves to `undefined` when it is active, or to why it could not load. */
export async function activate(name: string): Promise<string | undefined> {
  try {
    await selectBackend(name);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
