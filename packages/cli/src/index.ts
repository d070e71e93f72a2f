export { runCli } from './cli';
export type { CliIo } from './io';
export { UsageError, EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED } from './errors';
export { setupNodeBackend, defaultCacheDir, NodeBackendSetupError, TENSORFLOW_WHEEL, type NodeBackendSetupOptions, type NodeBackendSetupResult } from './setup/node-backend';
