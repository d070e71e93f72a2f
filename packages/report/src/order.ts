/**
 * Distinct values in the order first seen. Legends list settings in the order the runs came in (a
 * sweep's grid order: width 16, 64, 256), not alphabetically (which would put 256 before 64).
 */
export function firstSeenOrder(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** `layer 2` before `layer 10`: names compared with their numbers as numbers. */
export function naturalOrder(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
