import { names, type Tree } from '@nx/devkit';
import { architectureSource, architectureTest, type ArchitectureNames } from './templates';

export interface ArchitectureGeneratorOptions {
  /** Registry name, kebab-case. */
  readonly name: string;
}

const SRC = 'packages/architectures/src';
/** The list of built-in entries the registry starts with; the only existing file the generator edits. */
export const BUILTINS = `${SRC}/builtins.ts`;

function architectureNames(name: string): ArchitectureNames {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new Error(`architecture name '${name}' must be kebab-case (lower-case letters and digits, words joined by '-'), e.g. 'my-net'`);
  }
  const n = names(name);
  return { fileName: n.fileName, propertyName: n.propertyName, className: n.className };
}

/**
 * Adds `import { xEntry } from './x';` after the list's last import and `  xEntry,` as the last
 * element of the `builtinArchitectures` array, leaving everything else as it is.
 */
function appendBuiltin(source: string, n: ArchitectureNames): string {
  const lines = source.split('\n');
  const lastImport = lines.reduce((at, line, i) => (line.startsWith('import ') ? i : at), -1);
  // An import may span several lines: insert after the line that ends it.
  let importEnd = lastImport;
  while (importEnd >= 0 && importEnd < lines.length && !lines[importEnd]!.trimEnd().endsWith(';')) importEnd++;
  lines.splice(importEnd + 1, 0, `import { ${n.propertyName}Entry } from './${n.fileName}';`);
  const arrayStart = lines.findIndex((line) => line.startsWith('export const builtinArchitectures'));
  const arrayEnd = arrayStart < 0 ? -1 : lines.findIndex((line, i) => i > arrayStart && line.startsWith('];'));
  if (arrayEnd < 0) throw new Error(`${BUILTINS} has no \`export const builtinArchitectures = [ … ];\` list to add the new entry to`);
  lines.splice(arrayEnd, 0, `  ${n.propertyName}Entry,`);
  return lines.join('\n');
}

/**
 * `nx g @overparam/tools:architecture <name>`: writes packages/architectures/src/<name>.ts (a
 * schema, a builder and a registry entry with a `tiny` option set, so the conformance suite in
 * test/ picks it up on every backend), its test, and appends it to the built-ins in builtins.ts.
 */
export default async function architectureGenerator(tree: Tree, options: ArchitectureGeneratorOptions): Promise<void> {
  const n = architectureNames(options.name);
  const file = `${SRC}/${n.fileName}.ts`;
  if (tree.exists(file)) throw new Error(`${file} already exists; pick another name`);
  const builtins = tree.read(BUILTINS, 'utf-8');
  if (builtins === null) throw new Error(`${BUILTINS} not found: run the generator from the overparam repository root`);
  if (builtins.includes(`${n.propertyName}Entry`)) throw new Error(`${BUILTINS} already lists ${n.propertyName}Entry`);
  const listed = appendBuiltin(builtins, n);
  tree.write(file, architectureSource(n));
  tree.write(`${SRC}/${n.fileName}.test.ts`, architectureTest(n));
  tree.write(BUILTINS, listed);
}
