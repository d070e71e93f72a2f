import { names, type Tree } from '@nx/devkit';
import { architectureSource, architectureTest, type ArchitectureNames } from './templates';

export interface ArchitectureGeneratorOptions {
  /** Registry name, kebab-case. */
  readonly name: string;
}

const SRC = 'packages/architectures/src';
const REGISTRY = `${SRC}/registry.ts`;

function architectureNames(name: string): ArchitectureNames {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new Error(`architecture name '${name}' must be kebab-case (lower-case letters and digits, words joined by '-'), e.g. 'my-net'`);
  }
  const n = names(name);
  return { fileName: n.fileName, propertyName: n.propertyName, className: n.className };
}

/**
 * Adds `import { xEntry } from './x';` after the registry's last import and
 * `registerArchitecture(xEntry);` after its last registration, leaving everything else as it is.
 */
function register(source: string, n: ArchitectureNames): string {
  const lines = source.split('\n');
  const lastImport = lines.reduce((at, line, i) => (line.startsWith('import ') ? i : at), -1);
  // An import may span several lines: insert after the line that ends it.
  let importEnd = lastImport;
  while (importEnd >= 0 && importEnd < lines.length && !lines[importEnd]!.trimEnd().endsWith(';')) importEnd++;
  lines.splice(importEnd + 1, 0, `import { ${n.propertyName}Entry } from './${n.fileName}';`);
  const lastRegistration = lines.reduce((at, line, i) => (line.startsWith('registerArchitecture(') ? i : at), -1);
  if (lastRegistration < 0) throw new Error(`${REGISTRY} has no registerArchitecture(...) line to add the new entry after`);
  lines.splice(lastRegistration + 1, 0, `registerArchitecture(${n.propertyName}Entry);`);
  return lines.join('\n');
}

/**
 * `nx g @overparam/tools:architecture <name>`: writes packages/architectures/src/<name>.ts (a
 * schema, a builder and a registry entry with a `tiny` option set, so the conformance suite in
 * test/ picks it up on every backend), its test, and registers it in registry.ts.
 */
export default async function architectureGenerator(tree: Tree, options: ArchitectureGeneratorOptions): Promise<void> {
  const n = architectureNames(options.name);
  const file = `${SRC}/${n.fileName}.ts`;
  if (tree.exists(file)) throw new Error(`${file} already exists; pick another name`);
  const registry = tree.read(REGISTRY, 'utf-8');
  if (registry === null) throw new Error(`${REGISTRY} not found: run the generator from the overparam repository root`);
  if (registry.includes(`${n.propertyName}Entry`)) throw new Error(`${REGISTRY} already registers ${n.propertyName}Entry`);
  tree.write(file, architectureSource(n));
  tree.write(`${SRC}/${n.fileName}.test.ts`, architectureTest(n));
  tree.write(REGISTRY, register(registry, n));
}
