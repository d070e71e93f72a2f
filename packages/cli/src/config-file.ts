import { ConfigError } from '@overparam/core';
import { parseAssignments, resolveModelPath } from '@overparam/experiments';
import { dirname, isAbsolute } from 'node:path';
import { readFile } from 'node:fs/promises';
import { UsageError } from './errors';

/** A JSON run config from disk (a run's config.json, or one written by hand), for `--config`. */
export async function readConfigFile(path: string, flag = '--config'): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(flag, `cannot read ${path}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(flag, `${path} is not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(flag, `${path} holds ${Array.isArray(value) ? 'an array' : typeof value}, not a run config object`);
  return withModelBesideFile(value as Record<string, unknown>, path);
}

/** A config file names its model file relative to itself (so the two move together); the config stores it absolute. */
export function withModelBesideFile<T extends Record<string, unknown>>(config: T, file: string): T {
  return typeof config.model === 'string' && !isAbsolute(config.model) ? { ...config, model: resolveModelPath(config.model, dirname(file)) } : config;
}

/** `--set key=value` flags (each may hold several, `lr=0.1,steps=50`), by dotted path. */
export function parseSets(values: readonly string[] | undefined): Array<{ path: string; value: unknown }> {
  try {
    return (values ?? []).flatMap(parseAssignments);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError('--set', e.detail);
    throw e;
  }
}

/**
 * A config error about a key the file set (not a flag or `--set` given with it) names the file:
 * `--config base.json: lr: expected number`, not `--lr`, which the user never typed.
 */
export function blameConfigFile(e: unknown, flag: string, file: string, fromCommandLine: (field: string) => boolean): unknown {
  if (!(e instanceof ConfigError) || fromCommandLine(e.field)) return e;
  return new UsageError(flag, `${file}: ${e.message}`);
}
