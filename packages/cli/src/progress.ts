import type { TrainProgress } from '@overparam/core';
import cliProgress from 'cli-progress';
import type { CliIo } from './io';

/** Epochs are shown as the summary counts them: epochs completed, fractional ("2.35 epochs"). */
export interface ProgressReporter {
  update(progress: TrainProgress): void;
  stop(): void;
}

function formatLoss(loss: number): string {
  return Number.isFinite(loss) ? loss.toPrecision(4) : String(loss);
}

/** A live bar for a person watching a terminal. */
function bar(stream: CliIo['stderr'], steps: number, fromStep: number): ProgressReporter {
  const b = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      format: 'training |{bar}| {value}/{total} steps | {epochs} epochs | loss {loss} | {duration_formatted} elapsed, ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  b.start(steps, fromStep, { epochs: '0.00', loss: '…' });
  let running = true;
  return {
    update: (p) => b.update(p.step, { epochs: p.epochs.toFixed(2), loss: formatLoss(p.loss) }),
    stop() {
      // Stopping twice would redraw the bar a second time.
      if (running) b.stop();
      running = false;
    },
  };
}

/** One line per tenth of the run, for logs and CI, where a redrawn bar would be noise. */
function lines(stream: CliIo['stderr'], steps: number, fromStep: number): ProgressReporter {
  let nextTenth = Math.floor((10 * fromStep) / steps) + 1;
  return {
    update(p) {
      const tenth = Math.floor((10 * p.step) / steps);
      if (tenth < nextTenth && p.step < steps) return;
      nextTenth = tenth + 1;
      stream.write(`overparam: step ${p.step}/${steps} (${Math.round((100 * p.step) / steps)}%), ${p.epochs.toFixed(2)} epochs, loss ${formatLoss(p.loss)}\n`);
    },
    stop() {},
  };
}

/** Progress on stderr, so stdout carries nothing but the summary JSON. */
export function progressReporter(stream: CliIo['stderr'], steps: number, fromStep = 0): ProgressReporter {
  if (steps === 0) return { update() {}, stop() {} };
  return stream.isTTY === true ? bar(stream, steps, fromStep) : lines(stream, steps, fromStep);
}
