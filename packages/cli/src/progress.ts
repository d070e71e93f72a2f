import type { TrainProgress } from '@overparam/core';
import cliProgress from 'cli-progress';
import type { CliIo } from './io';

/** Epochs are shown 1-based ("epoch 3" is the third), as people count them. */
export interface ProgressReporter {
  update(progress: TrainProgress): void;
  stop(): void;
}

function formatLoss(loss: number): string {
  return Number.isFinite(loss) ? loss.toPrecision(4) : String(loss);
}

/** A live bar for a person watching a terminal. */
function bar(stream: CliIo['stderr'], steps: number): ProgressReporter {
  const b = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      format: 'training |{bar}| {value}/{total} steps | epoch {epoch} | loss {loss} | {duration_formatted} elapsed, ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  b.start(steps, 0, { epoch: 1, loss: '…' });
  let running = true;
  return {
    update: (p) => b.update(p.step, { epoch: p.epoch + 1, loss: formatLoss(p.loss) }),
    stop() {
      // Stopping twice would redraw the bar a second time.
      if (running) b.stop();
      running = false;
    },
  };
}

/** One line per tenth of the run, for logs and CI, where a redrawn bar would be noise. */
function lines(stream: CliIo['stderr'], steps: number): ProgressReporter {
  let nextTenth = 1;
  return {
    update(p) {
      const tenth = Math.floor((10 * p.step) / steps);
      if (tenth < nextTenth && p.step < steps) return;
      nextTenth = tenth + 1;
      stream.write(`overparam: step ${p.step}/${steps} (${Math.round((100 * p.step) / steps)}%), epoch ${p.epoch + 1}, loss ${formatLoss(p.loss)}\n`);
    },
    stop() {},
  };
}

/** Progress on stderr, so stdout carries nothing but the summary JSON. */
export function progressReporter(stream: CliIo['stderr'], steps: number): ProgressReporter {
  if (steps === 0) return { update() {}, stop() {} };
  return stream.isTTY === true ? bar(stream, steps) : lines(stream, steps);
}
