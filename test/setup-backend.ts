/**
 * Vitest setup for every project: registers the backends the CLI ships (its one list) and
 * activates the one named by OVERPARAM_TEST_BACKEND (set per vitest project in vitest.config.ts).
 */
import { selectBackend } from '@overparam/core';
import { registerShippedBackends } from '../packages/cli/src/register-backends';

export const testBackend = process.env.OVERPARAM_TEST_BACKEND ?? 'cpu';

registerShippedBackends();
await selectBackend(testBackend);
