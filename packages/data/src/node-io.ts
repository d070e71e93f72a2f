import { OverparamError } from '@overparam/core';

/**
 * The few Node built-ins the file loaders need, reached through `process.getBuiltinModule` rather
 * than imported, so that this package's main entry still bundles and loads in a browser (where only
 * the synthetic sets work) instead of failing on `node:*` imports.
 */
interface NodeBuiltins {
  readonly fs: typeof import('node:fs');
  readonly zlib: typeof import('node:zlib');
  readonly path: typeof import('node:path');
}

let builtins: NodeBuiltins | null = null;

export function nodeBuiltins(what: string): NodeBuiltins {
  if (builtins !== null) return builtins;
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (typeof proc?.getBuiltinModule !== 'function') {
    throw new OverparamError('DATA_UNAVAILABLE', `${what} reads files and needs Node.js (>= 20.16); in a browser use a synthetic data set`);
  }
  builtins = { fs: proc.getBuiltinModule('node:fs'), zlib: proc.getBuiltinModule('node:zlib'), path: proc.getBuiltinModule('node:path') };
  return builtins;
}

/** The first of `candidates` (file names inside `dir`) that exists, or undefined. */
export function findFile(dir: string, candidates: readonly string[]): string | undefined {
  const { fs, path } = nodeBuiltins('finding data files');
  for (const name of candidates) {
    const full = path.join(dir, name);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return full;
  }
  return undefined;
}

export function isDirectory(dir: string): boolean {
  const { fs } = nodeBuiltins('finding data files');
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory();
}

/** A file's bytes, as they are on disk (no decompression). */
export function readBytes(file: string): Uint8Array {
  const { fs } = nodeBuiltins(`reading ${file}`);
  try {
    const buf = fs.readFileSync(file);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw new OverparamError('DATA_UNAVAILABLE', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
}

export function readText(file: string): string {
  const { fs } = nodeBuiltins(`reading ${file}`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new OverparamError('DATA_UNAVAILABLE', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
}
