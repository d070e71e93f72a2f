/** Where the CLI writes; `process.stdout`/`process.stderr` in a real run, buffers in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  /** `isTTY` decides between a live progress bar and plain progress lines. */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}
