import { backendStatuses, currentPlatform, type BackendStatus } from '@overparam/core';
import type { Command } from 'commander';
import { EXIT_OK } from './errors';
import type { CliIo } from './io';

function line(status: BackendStatus, width: number, autoPick: string | undefined): string {
  const name = status.name.padEnd(width);
  // The registry's reason repeats "backend 'x' is not available"; the line already says so.
  if (!status.available) return `${name}  unavailable  ${(status.reason ?? '').replace(`backend '${status.name}' is not available: `, '')}`;
  return `${name}  available    priority ${status.priority}${status.detail !== undefined ? `, ${status.detail}` : ''}${status.name === autoPick ? ', chosen by --backend auto' : ''}`;
}

/** `overparam backends`: every registered backend, whether it loads here, and why not. */
export function addBackendsCommand(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('backends')
    .description(`list every backend this CLI ships, whether it loads here (${currentPlatform()}), and why not`)
    .option('--json', 'print the statuses as one JSON array')
    .option('--verbose', 'print stack traces of unexpected errors')
    .action(async (options: { json?: boolean }) => {
      const statuses = await backendStatuses();
      // Statuses come best first, which is the order `auto` tries them in.
      const autoPick = statuses.find((s) => s.available)?.name;
      if (options.json === true) {
        io.stdout.write(`${JSON.stringify(statuses.map((s) => ({ ...s, chosenByAuto: s.name === autoPick })), null, 2)}\n`);
      } else {
        const width = Math.max(...statuses.map((s) => s.name.length));
        for (const s of statuses) io.stdout.write(`${line(s, width, autoPick)}\n`);
      }
      done(EXIT_OK);
    });
}
