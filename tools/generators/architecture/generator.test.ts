import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import architectureGenerator from './generator';

/** A registry shaped like the real one: imports (one spanning lines), code, registrations last. */
const REGISTRY = `import { ConfigError, createModel } from '@overparam/core';
import {
  deepLinearEntry,
} from './deep-linear-entry';
import { mlp, mlpName } from './mlp';

const registry = new Map();

registerArchitecture(mlpEntry);
registerArchitecture(deepLinearEntry);
`;

function workspace() {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('packages/architectures/src/registry.ts', REGISTRY);
  return tree;
}

describe('nx g @overparam/tools:architecture', () => {
  it('writes the architecture, its test and a registration, touching nothing else in the registry', async () => {
    const tree = workspace();
    await architectureGenerator(tree, { name: 'my-net' });
    const source = tree.read('packages/architectures/src/my-net.ts', 'utf-8')!;
    expect(source).toContain('export function myNet(options: MyNetOptions): Layer');
    expect(source).toContain("name: 'my-net'");
    expect(source).toContain('tiny: {');
    expect(tree.read('packages/architectures/src/my-net.test.ts', 'utf-8')).toContain("buildModel('my-net'");
    expect(tree.read('packages/architectures/src/registry.ts', 'utf-8')).toBe(`import { ConfigError, createModel } from '@overparam/core';
import {
  deepLinearEntry,
} from './deep-linear-entry';
import { mlp, mlpName } from './mlp';
import { myNetEntry } from './my-net';

const registry = new Map();

registerArchitecture(mlpEntry);
registerArchitecture(deepLinearEntry);
registerArchitecture(myNetEntry);
`);
  });

  it('refuses names that are not kebab-case and architectures that exist', async () => {
    const tree = workspace();
    await expect(architectureGenerator(tree, { name: 'MyNet' })).rejects.toThrow(/must be kebab-case/);
    await architectureGenerator(tree, { name: 'net2' });
    await expect(architectureGenerator(tree, { name: 'net2' })).rejects.toThrow(/already exists/);
  });
});
