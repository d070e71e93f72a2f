import { ConfigError, createModel, UnknownNameError, type Model } from '@overparam/core';
import type { ArchitectureEntry, ArchitectureWorkload } from './architecture-entry';
import { builtinArchitectures } from './builtins';

const registry = new Map<string, ArchitectureEntry<never>>();

/** Adds an architecture; later registrations under the same name replace earlier ones. */
export function registerArchitecture<O>(entry: ArchitectureEntry<O>): void {
  registry.set(entry.name, entry as unknown as ArchitectureEntry<never>);
}

export function architectureNames(): string[] {
  return [...registry.keys()];
}

export function getArchitecture(name: string): ArchitectureEntry<Record<string, unknown>> {
  const entry = registry.get(name);
  if (entry === undefined) throw new UnknownNameError('ARCH_UNKNOWN', 'architecture', name, architectureNames());
  return entry as unknown as ArchitectureEntry<Record<string, unknown>>;
}

/** Validates `options` against the architecture's schema; the error names the offending field. */
export function parseArchitectureOptions(name: string, options: unknown): Record<string, unknown> {
  const result = getArchitecture(name).schema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(issue.path.length > 0 ? issue.path.join('.') : name, issue.message);
  }
  return result.data;
}

/**
 * What the net `name` with `options` (data-derived ones included) is, for a backend choosing its
 * settings before it loads; the options are validated first, so a bad one fails here, named.
 */
export function architectureWorkload(name: string, options: unknown): ArchitectureWorkload {
  const entry = getArchitecture(name);
  return entry.workload?.(parseArchitectureOptions(name, options)) ?? { convolutional: false };
}

/** Validates options, builds the layer and initializes a model from `seed`. */
export function buildModel(name: string, options: unknown, seed: number | string = 0): Model {
  const entry = getArchitecture(name);
  const parsed = parseArchitectureOptions(name, options);
  const { layer, inputShape } = entry.build(parsed);
  return createModel(layer, { inputShape, seed, name: entry.displayName(parsed) });
}

for (const entry of builtinArchitectures) registerArchitecture(entry);
