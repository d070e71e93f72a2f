import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly main?: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface PackedPackage {
  readonly manifest: Manifest;
  /** Absolute path of the `.tgz` that `npm pack` wrote. */
  readonly tarball: string;
}

/** The workspaces that are published: npm's own list of workspaces, less those marked private. */
export async function publishableWorkspaces(): Promise<Array<{ manifest: Manifest; location: string }>> {
  const { stdout } = await run('npm', ['query', '.workspace', '--json'], { cwd: workspaceRoot, maxBuffer: 64 << 20 });
  return (JSON.parse(stdout) as Array<{ location: string }>)
    .map(({ location }) => ({ location, manifest: JSON.parse(readFileSync(join(workspaceRoot, location, 'package.json'), 'utf8')) as Manifest }))
    .filter(({ manifest }) => manifest.private !== true);
}

/**
 * Packs every publishable workspace into `destination` with `npm pack`, exactly what `npm publish`
 * would upload. The packages must be built: a tarball without its `dist` would test nothing.
 */
export async function packWorkspaces(destination: string): Promise<PackedPackage[]> {
  const workspaces = await publishableWorkspaces();
  const unbuilt = workspaces.filter(({ location, manifest }) => manifest.main !== undefined && !existsSync(join(workspaceRoot, location, manifest.main)));
  if (unbuilt.length > 0) {
    throw new Error(`not built: ${unbuilt.map((w) => w.manifest.name).join(', ')}; run \`npm run build\` first (the tarballs ship dist/)`);
  }
  const args = ['pack', '--json', '--pack-destination', destination, ...workspaces.flatMap((w) => ['-w', w.manifest.name])];
  const { stdout } = await run('npm', args, { cwd: workspaceRoot, maxBuffer: 64 << 20 });
  const packed = JSON.parse(stdout) as Array<{ name: string; filename: string }>;
  return workspaces.map(({ manifest }) => {
    const entry = packed.find((p) => p.name === manifest.name);
    if (entry === undefined) throw new Error(`npm pack did not report ${manifest.name}`);
    return { manifest, tarball: join(destination, entry.filename) };
  });
}

/** A package's peers that a consumer must install itself: the required ones outside this workspace. */
export function externalPeers(manifest: Manifest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(manifest.peerDependencies ?? {}).filter(([name]) => !name.startsWith('@overparam/') && manifest.peerDependenciesMeta?.[name]?.optional !== true),
  );
}
