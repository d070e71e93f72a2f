#!/usr/bin/env node
// Builds every package (`nx run-many -t build`): the root `prepare` script (so `npm ci` leaves a
// working CLI) and `npm run build`. nx replays each task's tool output, ~400 lines with colour
// codes, which would bury npm's own lines; a build that succeeds says so in one line, a build that
// fails prints nx's whole log, so every error stays visible. Plain JavaScript: it runs during
// `npm ci`, before anything is compiled. Extra arguments go to nx (e.g. `--skip-nx-cache`).
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const nx = createRequire(import.meta.url).resolve('nx/bin/nx');
const args = ['run-many', '-t', 'build', '--output-style=static', ...process.argv.slice(2)];
const started = Date.now();
process.stderr.write('overparam: building every package (nx run-many -t build) …\n');

// Colour codes only make sense on a terminal; the log is printed only when something failed.
const child = spawn(process.execPath, [nx, ...args], { env: { ...process.env, FORCE_COLOR: '0', NX_TUI: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
const log = [];
child.stdout.on('data', (chunk) => log.push(chunk));
child.stderr.on('data', (chunk) => log.push(chunk));
child.on('close', (code, signal) => {
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (code === 0) {
    process.stderr.write(`overparam: built every package in ${seconds} s\n`);
    return;
  }
  process.stderr.write(Buffer.concat(log));
  process.stderr.write(`overparam: the build failed (${signal ?? `exit ${code}`}) after ${seconds} s; nx's log is above\n`);
  process.exitCode = code ?? 1;
});
