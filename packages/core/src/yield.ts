/**
 * Resolves after pending macrotasks (signal handlers, timers, I/O callbacks, UI events) have had
 * a turn. setImmediate in Node (microseconds); a MessageChannel round trip in browsers, where
 * setTimeout(0) would be clamped to 4 ms.
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void; MessageChannel?: typeof MessageChannel };
  if (g.setImmediate !== undefined) return new Promise((resolve) => g.setImmediate!(resolve));
  if (g.MessageChannel !== undefined) {
    return new Promise((resolve) => {
      const channel = new g.MessageChannel!();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
