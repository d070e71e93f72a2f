/**
 * The files the architecture generator writes, as functions of the name. They are kept here as
 * strings rather than as template files so the generator runs the same under nx (loaded as
 * CommonJS) and under vitest (ESM) without locating a template directory on disk.
 */
export interface ArchitectureNames {
  /** Registry and file name, kebab-case: `my-net`. */
  readonly fileName: string;
  /** camelCase: `myNet`. */
  readonly propertyName: string;
  /** PascalCase: `MyNet`. */
  readonly className: string;
}

export function architectureSource(n: ArchitectureNames): string {
  return `import { activation, dense, serial, type Layer } from '@overparam/core';
import { z } from 'zod';
import type { ArchitectureEntry } from './architecture-entry';

const positiveInt = z.number().int().min(1);

/**
 * The options of ${n.className}. inputDim and outputDim come from the data set (see
 * ArchitectureEntry.fromData); every other field is the user's, with defaults filled in here.
 */
export const ${n.propertyName}Schema = z.strictObject({
  depth: positiveInt.describe('hidden layers'),
  width: positiveInt.describe('units per hidden layer'),
  inputDim: positiveInt.describe('input size (from the data set)'),
  outputDim: positiveInt.describe('outputs (from the data set)'),
});

export type ${n.className}Options = z.infer<typeof ${n.propertyName}Schema>;

/**
 * ${n.className}: a starting point to replace with the network you are adding (say which paper and
 * section it implements). Build it from @overparam/core primitives only: they report the taps the
 * metrics need and already have their gradient rules.
 */
export function ${n.propertyName}(options: ${n.className}Options): Layer {
  const layers: Layer[] = [];
  for (let i = 0; i < options.depth; i++) layers.push(dense({ units: options.width, isFirstLayer: i === 0 }), activation('relu'));
  layers.push(dense({ units: options.outputDim }));
  return serial(...layers);
}

export const ${n.propertyName}Entry: ArchitectureEntry<${n.className}Options> = {
  name: '${n.fileName}',
  description: '${n.className}: describe it in one line for \`overparam describe\` and --help',
  schema: ${n.propertyName}Schema,
  displayName: (o) => \`${n.className}-\${o.depth}-\${o.width}\`,
  build: (o) => ({ layer: ${n.propertyName}(o), inputShape: [o.inputDim] }),
  // The smallest instance worth checking: the conformance suite runs it on every backend.
  tiny: { depth: 1, width: 4, inputDim: 3, outputDim: 2 },
};
`;
}

export function architectureTest(n: ArchitectureNames): string {
  return `import { tf } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { buildModel } from './registry';

describe('${n.fileName}', () => {
  it('counts d·w + w + (depth − 1)·(w² + w) + w·k + k parameters and maps [batch, d] to [batch, k]', () => {
    const model = buildModel('${n.fileName}', { depth: 2, width: 5, inputDim: 3, outputDim: 4 }, 0);
    // The formula is written out independently of the builder, so a wrong layer size fails here.
    expect(model.paramCount).toBe(3 * 5 + 5 + (5 * 5 + 5) + 5 * 4 + 4);
    expect(model.name).toBe('${n.className}-2-5');
    const y = tf.tidy(() => model.apply(tf.ones([7, 3])).shape);
    expect(y).toEqual([7, 4]);
    model.dispose();
  });
});
`;
}
