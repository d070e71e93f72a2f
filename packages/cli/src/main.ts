import { runCli } from './cli';

// A reader that stops early (`overparam train --help | head -5`) closes the pipe; that is not
// an error worth a stack trace, and nothing more can be written anyway.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

// Sets the exit code rather than calling process.exit, so stdout is flushed before Node exits.
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
