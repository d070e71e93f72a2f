import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, registerArchitecture, type ArchitectureEntry } from '@overparam/architectures';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describeArchitectureConformance } from '@overparam/testing';
import { afterAll, describe, expect, it } from 'vitest';
import architectureGenerator, { BUILTINS } from './generator';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(here, '../../..');

/** A list shaped like the real one: imports (one spanning lines), then the array, last. */
const LIST = `import type { ArchitectureEntry } from './architecture-entry';
import {
  deepLinearEntry,
} from './deep-linear-entry';
import { mlpEntry } from './mlp-entry';

/** The architectures this package ships. */
export const builtinArchitectures: ReadonlyArray<ArchitectureEntry<Record<string, unknown>>> = [
  mlpEntry,
  deepLinearEntry,
];
`;

function workspace(builtins = LIST) {
  const tree = createTreeWithEmptyWorkspace();
  tree.write(BUILTINS, builtins);
  return tree;
}

describe('nx g @overparam/tools:architecture', () => {
  it('writes the architecture, its test and one entry at the end of the built-in list, touching nothing else', async () => {
    const tree = workspace();
    await architectureGenerator(tree, { name: 'my-net' });
    const source = tree.read('packages/architectures/src/my-net.ts', 'utf-8')!;
    expect(source).toContain('export function myNet(options: MyNetOptions): Layer');
    expect(source).toContain("name: 'my-net'");
    expect(source).toContain('tiny: {');
    expect(tree.read('packages/architectures/src/my-net.test.ts', 'utf-8')).toContain("buildModel('my-net'");
    expect(tree.read(BUILTINS, 'utf-8')).toBe(`import type { ArchitectureEntry } from './architecture-entry';
import {
  deepLinearEntry,
} from './deep-linear-entry';
import { mlpEntry } from './mlp-entry';
import { myNetEntry } from './my-net';

/** The architectures this package ships. */
export const builtinArchitectures: ReadonlyArray<ArchitectureEntry<Record<string, unknown>>> = [
  mlpEntry,
  deepLinearEntry,
  myNetEntry,
];
`);
  });

  it('adds exactly two lines to the repository’s own builtins.ts', async () => {
    const real = readFileSync(join(repoRoot, BUILTINS), 'utf8');
    const tree = workspace(real);
    await architectureGenerator(tree, { name: 'my-net' });
    const after = tree.read(BUILTINS, 'utf-8')!.split('\n');
    const added = after.filter((line) => !real.split('\n').includes(line));
    expect(added).toEqual(["import { myNetEntry } from './my-net';", '  myNetEntry,']);
    expect(after.indexOf('  myNetEntry,')).toBe(after.indexOf('];') - 1);
  });

  it('refuses names that are not kebab-case, architectures that exist, and a list it cannot find', async () => {
    const tree = workspace();
    await expect(architectureGenerator(tree, { name: 'MyNet' })).rejects.toThrow(/must be kebab-case/);
    await architectureGenerator(tree, { name: 'net2' });
    await expect(architectureGenerator(tree, { name: 'net2' })).rejects.toThrow(/already exists/);
    await expect(architectureGenerator(workspace("export const other = [\n];\n"), { name: 'my-net' })).rejects.toThrow(/no `export const builtinArchitectures/);
  });
});

/**
 * What the generator writes must pass the conformance suite unchanged (CONTRIBUTING.md promises
 * it). The scaffold is written to a scratch folder inside the repository, so that its package
 * imports resolve from the workspace, then loaded and registered like a built-in.
 */
const scaffoldTree = workspace();
await architectureGenerator(scaffoldTree, { name: 'scaffolded-net' });
const scratch = mkdtempSync(join(here, '.scaffold-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
writeFileSync(join(scratch, 'scaffolded-net.ts'), scaffoldTree.read('packages/architectures/src/scaffolded-net.ts', 'utf-8')!);
const scaffolded = (await import(join(scratch, 'scaffolded-net.ts'))) as { scaffoldedNetEntry: ArchitectureEntry<Record<string, unknown>> };
registerArchitecture(scaffolded.scaffoldedNetEntry);
const tiny = scaffolded.scaffoldedNetEntry.tiny!;
describeArchitectureConformance('scaffolded-net (as generated)', (seed) => buildModel('scaffolded-net', tiny, seed), { backend: 'cpu' });
