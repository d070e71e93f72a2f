/**
 * `npm run lint:packages`: packs every publishable workspace and checks each tarball, as npm would
 * publish it, with publint (package.json fields against the files: exports, main, types, files)
 * and @arethetypeswrong/cli (that TypeScript finds the right declarations under node10, node16
 * from ESM and from CJS, and bundler resolution). Exits non-zero, printing their reports, on any
 * error or warning.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packWorkspaces, run, workspaceRoot, type PackedPackage } from './tarballs';

const bin = (name: string) => join(workspaceRoot, 'node_modules', '.bin', name);

async function check(command: string, args: string[]): Promise<string | undefined> {
  try {
    await run(command, args, { maxBuffer: 16 << 20, timeout: 120_000 });
    return undefined;
  } catch (e) {
    const { stdout = '', stderr = '', message } = e as { stdout?: string; stderr?: string; message: string };
    return `${stdout}${stderr}`.trim() || message;
  }
}

async function lint(pkg: PackedPackage): Promise<string[]> {
  const reports = await Promise.all([
    check(bin('publint'), ['run', pkg.tarball, '--strict', '--level', 'warning']),
    check(bin('attw'), [pkg.tarball, '--format', 'table-flipped', '--no-color']),
  ]);
  return reports.flatMap((report, i) => (report === undefined ? [] : [`${pkg.manifest.name} (${i === 0 ? 'publint' : 'attw'}):\n${report}`]));
}

const dir = await mkdtemp(join(tmpdir(), 'overparam-lint-'));
try {
  const packed = await packWorkspaces(dir);
  const problems: string[] = [];
  for (const pkg of packed) problems.push(...(await lint(pkg)));
  if (problems.length > 0) {
    console.error(problems.join('\n\n'));
    console.error(`\n${problems.length} package check(s) failed; fix the package.json fields they name.`);
    process.exitCode = 1;
  } else {
    console.log(`publint and attw: ${packed.length} packages clean (${packed.map((p) => p.manifest.name).join(', ')})`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
