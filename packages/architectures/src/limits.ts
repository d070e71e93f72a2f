import { z } from 'zod';

/**
 * The deepest net we build: far past the papers' (hundreds of layers at most), and well inside
 * what building and differentiating a chain of layers takes from the JavaScript stack
 * (100,000 dense layers overflow it; 30,000 still train).
 */
export const MAX_DEPTH = 10_000;

/** A depth option: a positive integer up to MAX_DEPTH, refused above it with the limit named. */
export function depthOption(description: string) {
  return z
    .number()
    .int()
    .min(1)
    .max(MAX_DEPTH, `at most ${MAX_DEPTH} layers are built (a deeper chain overflows the JavaScript stack)`)
    .describe(description);
}
