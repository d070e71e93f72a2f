/**
 * How many turns the event loop had while `work` ran: a macrotask (setImmediate in Node, where
 * `yieldToEventLoop` also lands) re-schedules itself and counts its runs. A computation that never
 * yields gives it none; one that yields between its pieces gives it one per piece or more. This
 * is what keeps a page responsive during a measurement, tested without a browser.
 */
export async function eventLoopTurnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await work();
  } finally {
    running = false;
  }
  return turns;
}
