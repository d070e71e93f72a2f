import { runCli } from './cli';

// Sets the exit code rather than calling process.exit, so stdout is flushed before Node exits.
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
