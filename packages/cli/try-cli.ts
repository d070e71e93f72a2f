import { Command } from 'commander';
import { addReportCommand } from './src/report-command';
const program = new Command('overparam');
addReportCommand(program, { stdout: process.stdout, stderr: process.stderr }, () => {});
await program.parseAsync(process.argv.slice(2), { from: 'user' });
