#!/usr/bin/env node
// The command itself is compiled into dist/; this launcher only says what to do when it is missing.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('overparam: the CLI is not built yet; run `npm run build` in the repository root first');
  process.exit(1);
}
await import(main.href);
