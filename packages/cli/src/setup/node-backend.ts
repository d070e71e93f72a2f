/**
 * Installs the node backend from registry packages alone: `@tensorflow/tfjs-node` without its
 * install script (which downloads libtensorflow from a bucket that may refuse), TensorFlow's C
 * library and headers taken from the `tensorflow-cpu` wheel on PyPI, and the binding built
 * locally with npm's own node-gyp. Offline once the wheel is cached; every step is skipped when
 * its result is already in place, so running it again is cheap and safe.
 *
 * It lives in the CLI, not in the plugin package: it is what `overparam setup node-backend` runs,
 * it needs Node's child processes and file system (the CLI is Node-only), and a program that only
 * registers the plugin should not carry an installer. Exported from `@overparam/cli`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { defaultWorkload, OverparamError } from '@overparam/core';
import { onednnSetting, TFJS_NODE, tfjsNodeVersion, tensorflowEnv } from '@overparam/backend-node';

/** The TensorFlow whose C library the binding links: tfjs-node 4.22's C API is a subset of it. */
export const TENSORFLOW_WHEEL = { name: 'tensorflow-cpu', version: '2.21.0' } as const;
/** N-API version the binding is built for; tfjs-node looks in `lib/napi-v<N>` for the highest it lists. */
const NAPI_VERSION = 8;
/** What `binding.gyp` links (`-ltensorflow -ltensorflow_framework`) mapped to the wheel's files. */
const LIBRARIES = { 'libtensorflow_cc.so.2': ['libtensorflow.so', 'libtensorflow_cc.so.2'], 'libtensorflow_framework.so.2': ['libtensorflow_framework.so', 'libtensorflow_framework.so.2'] } as const;
/** The header trees `tensorflow/c/c_api.h` and `tensorflow/c/eager/c_api.h` include, under the wheel's `tensorflow/include/`. */
const HEADER_TREES = ['tensorflow/c/', 'tensorflow/core/platform/', 'tsl/c/', 'tsl/platform/', 'xla/tsl/c/', 'xla/tsl/platform/'];
/** Where the wheel keeps them. */
const WHEEL_PREFIX = 'tensorflow/';

/** A step of the setup failed; the message says which, why and what to do. */
export class NodeBackendSetupError extends OverparamError {
  readonly step: string;
  constructor(step: string, message: string, options?: { cause?: unknown }) {
    super('BACKEND_SETUP', `node backend setup, ${step}: ${message}`, options);
    this.step = step;
  }
}

export interface NodeBackendSetupOptions {
  /** The npm project to install `@tensorflow/tfjs-node` into; default: found from the working directory. */
  readonly projectDir?: string;
  /** Where the wheel and the extracted library are kept between runs; default: see `defaultCacheDir`. */
  readonly cacheDir?: string;
  /** Python with pip, used to download and unpack the wheel; default `python3`. */
  readonly python?: string;
  /** Rebuild the binding even when one for this TensorFlow is in place. */
  readonly force?: boolean;
  /** Progress lines for humans. */
  readonly log?: (line: string) => void;
}

export interface NodeBackendSetupResult {
  readonly tfjsNodeDir: string;
  readonly libraryDir: string;
  /** `TF_Version()` of the library the freshly loaded binding reports. */
  readonly tensorflowVersion: string;
  /** What was done (`false`: it was already in place). */
  readonly downloaded: boolean;
  readonly installed: boolean;
  readonly built: boolean;
}

/** `$OVERPARAM_CACHE_DIR`, else `$XDG_CACHE_HOME/overparam`, else `~/.cache/overparam`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OVERPARAM_CACHE_DIR !== undefined && env.OVERPARAM_CACHE_DIR !== '') return resolve(env.OVERPARAM_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(xdg, 'overparam');
}

/**
 * The npm project a plain `npm install` here would install into: the outermost directory with a
 * package.json that lists workspaces (a monorepo root), else the nearest with a package.json.
 */
export function findProjectDir(from: string): string {
  let nearest: string | undefined;
  let workspaceRoot: string | undefined;
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      nearest ??= dir;
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown }).workspaces !== undefined) workspaceRoot = dir;
      } catch {
        // An unreadable manifest is not a workspace root; npm will complain about it itself.
      }
    }
    if (dirname(dir) === dir) break;
  }
  if (nearest === undefined) throw new NodeBackendSetupError('project', `no package.json in ${from} or above it; run this inside the npm project that uses overparam`);
  return workspaceRoot ?? nearest;
}

interface ProcessResult {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a command to completion (or kills it after `timeoutMs`), keeping the tail of its output. */
function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<ProcessResult> {
  return new Promise((done) => {
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      output += `\n(killed after ${Math.round(options.timeoutMs / 1000)} s)`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ code: null, output: `${output}${(e as NodeJS.ErrnoException).code === 'ENOENT' ? `${command}: command not found` : e.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

function tail(output: string, lines = 6): string {
  return output.trim().split('\n').slice(-lines).join(' | ');
}

const MINUTE = 60_000;

/** The wheel in the cache, downloading it with pip if it is not there. */
async function ensureWheel(cacheDir: string, python: string, log: (line: string) => void): Promise<{ wheel: string; downloaded: boolean }> {
  const wheelDir = join(cacheDir, 'wheels');
  const prefix = `${TENSORFLOW_WHEEL.name.replace(/-/g, '_')}-${TENSORFLOW_WHEEL.version}-`;
  const find = () => (existsSync(wheelDir) ? readdirSync(wheelDir).find((f) => f.startsWith(prefix) && f.endsWith('.whl')) : undefined);
  const cached = find();
  if (cached !== undefined) return { wheel: join(wheelDir, cached), downloaded: false };
  mkdirSync(wheelDir, { recursive: true });
  const spec = `${TENSORFLOW_WHEEL.name}==${TENSORFLOW_WHEEL.version}`;
  log(`downloading the ${spec} wheel (about 275 MB) into ${wheelDir}`);
  const result = await run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', spec, '-d', wheelDir], { timeoutMs: 30 * MINUTE });
  if (result.code === null && /command not found/.test(result.output)) {
    throw new NodeBackendSetupError('download', `'${python}' was not found; install Python 3 with pip (Debian: apt-get install python3-pip) or pass its path with --python`);
  }
  const wheel = find();
  if (result.code !== 0 || wheel === undefined) {
    throw new NodeBackendSetupError(
      'download',
      `pip could not download ${spec} (${tail(result.output)}); it needs PyPI (or your pip index) and a Linux x86-64 Python 3.10–3.13, or put the wheel into ${wheelDir} yourself and run this again`,
    );
  }
  return { wheel: join(wheelDir, wheel), downloaded: true };
}

/** Unpacks the two libraries and the C API headers from the wheel, once, into `<cache>/libtensorflow-<version>`. */
async function ensureLibrary(cacheDir: string, python: string, log: (line: string) => void): Promise<{ dir: string; downloaded: boolean }> {
  const dir = join(cacheDir, `libtensorflow-${TENSORFLOW_WHEEL.version}`);
  const complete = join(dir, '.complete');
  if (existsSync(complete)) return { dir, downloaded: false };
  const { wheel, downloaded } = await ensureWheel(cacheDir, python, log);
  log(`unpacking libtensorflow and its C headers from ${wheel}`);
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  // Python's zipfile streams the 790 MB library instead of holding it in memory.
  const script = [
    'import json, os, shutil, sys, zipfile',
    'wheel, out, libs, prefix, trees = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], json.loads(sys.argv[5])',
    'with zipfile.ZipFile(wheel) as z:',
    '    for info in z.infolist():',
    '        name = info.filename',
    '        rel = name[len(prefix):] if name.startswith(prefix) else None',
    '        if rel in libs: target = os.path.join(out, "lib", rel)',
    '        elif rel is not None and rel.startswith("include/") and any(rel[len("include/"):].startswith(t) for t in trees) and not name.endswith("/"): target = os.path.join(out, rel)',
    '        else: continue',
    '        os.makedirs(os.path.dirname(target), exist_ok=True)',
    '        with z.open(info) as src, open(target, "wb") as dst: shutil.copyfileobj(src, dst, 1 << 20)',
  ].join('\n');
  const result = await run(python, ['-c', script, wheel, staging, JSON.stringify(Object.keys(LIBRARIES)), WHEEL_PREFIX, JSON.stringify(HEADER_TREES)], { timeoutMs: 10 * MINUTE });
  const missing = [...Object.keys(LIBRARIES).map((l) => join(staging, 'lib', l)), join(staging, 'include/tensorflow/c/c_api.h'), join(staging, 'include/tensorflow/c/eager/c_api.h')].filter((f) => !existsSync(f));
  if (result.code !== 0 || missing.length > 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new NodeBackendSetupError(
      'unpack',
      result.code !== 0 ? `unpacking ${wheel} failed (${tail(result.output)}); delete it and run this again to download it afresh` : `${wheel} lacks ${missing.map((m) => m.slice(staging.length + 1)).join(', ')}; delete it and run this again`,
    );
  }
  writeFileSync(join(staging, '.complete'), `${TENSORFLOW_WHEEL.name} ${TENSORFLOW_WHEEL.version}\n`);
  // A setup beside this one (two test runs on one machine) may have finished first: its library may
  // already be linked and loaded, so it is kept and this copy dropped.
  if (existsSync(complete)) {
    rmSync(staging, { recursive: true, force: true });
    return { dir, downloaded };
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return { dir, downloaded };
}

/** The installed tfjs-node's directory, if the project resolves the version we build for. */
function installedTfjsNode(projectDir: string): string | undefined {
  try {
    const manifest = createRequire(join(projectDir, 'package.json')).resolve(`${TFJS_NODE}/package.json`);
    const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
    return version === tfjsNodeVersion ? dirname(manifest) : undefined;
  } catch {
    return undefined;
  }
}

/** Installs tfjs-node into the project without its install script and without touching package.json or the lock file. */
async function ensureTfjsNode(projectDir: string, log: (line: string) => void): Promise<{ dir: string; installed: boolean }> {
  const present = installedTfjsNode(projectDir);
  if (present !== undefined) return { dir: present, installed: false };
  const spec = `${TFJS_NODE}@${tfjsNodeVersion}`;
  log(`installing ${spec} into ${projectDir} (--ignore-scripts: its own installer would download libtensorflow)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = await run(npm, ['install', spec, '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--workspaces=false'], { cwd: projectDir, timeoutMs: 10 * MINUTE });
  const dir = installedTfjsNode(projectDir);
  if (result.code !== 0 || dir === undefined) {
    throw new NodeBackendSetupError('install', `npm install ${spec} failed in ${projectDir} (${tail(result.output)}); it needs the npm registry (or your npm mirror) once`);
  }
  return { dir, installed: true };
}

/** Points tfjs-node's `deps/` at the cached library, under the names `binding.gyp` links. */
function linkDeps(tfjsNodeDir: string, libraryDir: string): void {
  const deps = join(tfjsNodeDir, 'deps');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, 'lib'), { recursive: true });
  for (const [file, names] of Object.entries(LIBRARIES)) for (const name of names) symlinkSync(join(libraryDir, 'lib', file), join(deps, 'lib', name));
  symlinkSync(join(libraryDir, 'include'), join(deps, 'include'), 'dir');
}

/** npm's own node-gyp, so no global install is needed. */
function findNodeGyp(projectDir: string): string | undefined {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(realpathSync(process.execPath)), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(createRequire(join(projectDir, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // Not in the project either; the error below names the fix.
  }
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
}

/** The Node headers of the running Node, so node-gyp need not download them. */
function findNodeDir(): string | undefined {
  const prefix = dirname(dirname(realpathSync(process.execPath)));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function bindingPath(tfjsNodeDir: string): string {
  return join(tfjsNodeDir, 'lib', `napi-v${NAPI_VERSION}`, 'tfjs_binding.node');
}

/** What the binding was built against; a different stamp means rebuild. */
function buildStamp(libraryDir: string): string {
  return `${TENSORFLOW_WHEEL.name} ${TENSORFLOW_WHEEL.version} ${libraryDir} node ${process.versions.node}\n`;
}

async function ensureBinding(tfjsNodeDir: string, libraryDir: string, projectDir: string, force: boolean, log: (line: string) => void): Promise<boolean> {
  const stampFile = join(tfjsNodeDir, 'lib', '.overparam-build');
  const stamp = buildStamp(libraryDir);
  if (!force && existsSync(bindingPath(tfjsNodeDir)) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return false;
  const nodeGyp = findNodeGyp(projectDir);
  if (nodeGyp === undefined) throw new NodeBackendSetupError('build', "npm's bundled node-gyp was not found next to this Node; install it with `npm install -g node-gyp` and set npm_config_node_gyp to its bin/node-gyp.js");
  const nodeDir = findNodeDir();
  if (nodeDir === undefined) {
    throw new NodeBackendSetupError('build', `the headers of this Node (${process.execPath}) are not installed, and downloading them is not attempted; install them (Debian: apt-get install libnode-dev) or use a Node distribution that ships include/node`);
  }
  log(`building the tfjs-node binding against TensorFlow ${TENSORFLOW_WHEEL.version} (about 20 s)`);
  const result = await run(
    process.execPath,
    [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, `--napi_build_version=${NAPI_VERSION}`, '--module_name=tfjs_binding', `--module_path=${dirname(bindingPath(tfjsNodeDir))}`],
    { cwd: tfjsNodeDir, timeoutMs: 10 * MINUTE },
  );
  if (result.code !== 0 || !existsSync(bindingPath(tfjsNodeDir))) {
    const toolMissing = /not found: (make|g\+\+|c\+\+|cc)|Can't find Python|No such file or directory.*(make|g\+\+)/i.test(result.output);
    throw new NodeBackendSetupError(
      'build',
      `node-gyp failed (${tail(result.output, 8)})${toolMissing ? '; it needs make, a C++ compiler and Python 3 (Debian: apt-get install build-essential python3)' : ''}`,
    );
  }
  writeFileSync(stampFile, stamp);
  return true;
}

/** Loads the binding in a child process (a crash there cannot take us down) and returns `TF_Version()`. */
async function verify(tfjsNodeDir: string): Promise<string> {
  const script = `const tf = require(${JSON.stringify(tfjsNodeDir)}); process.stdout.write('TF_VERSION=' + tf.backend().binding.TF_Version);`;
  const result = await run(process.execPath, ['-e', script], { env: { ...process.env, ...tensorflowEnv(process.env, onednnSetting(process.env, defaultWorkload)) }, timeoutMs: 2 * MINUTE });
  const version = /TF_VERSION=(\S+)/.exec(result.output)?.[1];
  if (result.code !== 0 || version === undefined) {
    throw new NodeBackendSetupError('verify', `the built binding does not load (${tail(result.output)}); run this again with --force to rebuild it`);
  }
  return version;
}

/** Runs every step that is not already done; resolves when the binding loads. */
export async function setupNodeBackend(options: NodeBackendSetupOptions = {}): Promise<NodeBackendSetupResult> {
  const log = options.log ?? (() => {});
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new NodeBackendSetupError('platform', `this setup builds from the Linux x86-64 TensorFlow wheel, and this is ${process.platform}-${process.arch}; there, try \`npm install ${TFJS_NODE}\` (its own installer)`);
  }
  const projectDir = options.projectDir ?? findProjectDir(process.cwd());
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const python = options.python ?? 'python3';
  const library = await ensureLibrary(cacheDir, python, log);
  const tfjsNode = await ensureTfjsNode(projectDir, log);
  linkDeps(tfjsNode.dir, library.dir);
  const built = await ensureBinding(tfjsNode.dir, library.dir, projectDir, options.force === true, log);
  const tensorflowVersion = await verify(tfjsNode.dir);
  return { tfjsNodeDir: tfjsNode.dir, libraryDir: library.dir, tensorflowVersion, downloaded: library.downloaded, installed: tfjsNode.installed, built };
}
