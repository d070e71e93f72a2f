import { ConfigError, parseKeyValues } from '@overparam/core';

/**
 * Config keys by dotted path (`archOptions.depth`, `optimizer.momentum`): how sweeps name the
 * keys of their grid and how `--set` overrides one. A copy is returned; objects on the way are
 * created when missing, so `optimizer.momentum` works on a config whose optimizer was defaulted.
 */
export function setAtPath<T extends object>(target: T, path: string, value: unknown): T {
  const parts = path.split('.');
  if (parts.some((p) => p === '')) throw new ConfigError(path === '' ? 'key' : path, 'is not a dotted key path (e.g. archOptions.depth)');
  const root: Record<string, unknown> = structuredClone(target) as Record<string, unknown>;
  let node = root;
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1) {
      node[part] = value;
      break;
    }
    const next = node[part];
    if (next !== undefined && (typeof next !== 'object' || next === null || Array.isArray(next))) {
      throw new ConfigError(parts.slice(0, i + 1).join('.'), `is ${JSON.stringify(next)}, not an object, so it has no key '${parts[i + 1]}'`);
    }
    node[part] = next === undefined ? {} : next;
    node = node[part] as Record<string, unknown>;
  }
  return root as T;
}

export function getAtPath(source: unknown, path: string): unknown {
  let node = source;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * `key=value` (or several, `lr=0.1,steps=50`) as dotted paths and values, read by core's
 * `parseKeyValues`: JSON when it parses (numbers, booleans, arrays, objects), text otherwise.
 */
export function parseAssignments(text: string): Array<{ path: string; value: unknown }> {
  return parseKeyValues(text, { field: 'set', example: 'archOptions.depth=5' }).map(([path, value]) => ({ path, value }));
}
