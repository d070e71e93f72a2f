import { architectureNames, buildModel, getArchitecture } from '@overparam/architectures';
import { describeArchitectureConformance } from '@overparam/testing';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * The conformance suite for every registered architecture, on the backend of this project. Each
 * registry entry brings its own tiny option set (`ArchitectureEntry.tiny`), so a new architecture
 * is covered by registering it. `extraCases` adds variants a single tiny set does not reach.
 */
const extraCases: ReadonlyArray<{ label: string; name: string; options: Record<string, unknown> }> = [
  // Without batch norm every conv has a bias and there is no state: the other branch of the BN checks.
  { label: 'wrn (no batch norm)', name: 'wrn', options: { ...getArchitecture('wrn').tiny, batchNorm: false } },
];

describe(`architecture registry (${testBackend})`, () => {
  it('gives every registered architecture a tiny option set for the conformance suite', () => {
    const missing = architectureNames().filter((name) => getArchitecture(name).tiny === undefined);
    expect(missing).toEqual([]);
  });
});

for (const name of architectureNames()) {
  const tiny = getArchitecture(name).tiny;
  if (tiny === undefined) continue;
  describeArchitectureConformance(name, (seed) => buildModel(name, tiny, seed), { backend: testBackend });
}

for (const { label, name, options } of extraCases) {
  describeArchitectureConformance(label, (seed) => buildModel(name, options, seed), { backend: testBackend });
}
