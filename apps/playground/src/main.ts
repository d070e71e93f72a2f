import { isOverparamError } from '@overparam/core';
import type { RunStore } from '@overparam/experiments';
import { registerBrowserBackends } from './backends';
import { comparisons } from './comparisons';
import { exportRuns } from './export-runs';
import { liveFigures } from './live-figures';
import { initialOptions } from './option-fields';
import { BUNDLED_DATA_SET, provideBundledMnist } from './mnist-digits';
import { stateFromHash, stateToHash, type PlaygroundState } from './playground-state';
import { runCard, type RunCard } from './run-form';
import { trainRuns } from './trainer';
import { registerUploadedModel } from './uploaded-model';
import './style.css';

const byId = (id: string) => document.getElementById(id)!;
const runsBox = byId('runs');
const statusBox = byId('status');
const trainButton = byId('train') as HTMLButtonElement;
const stopButton = byId('stop') as HTMLButtonElement;
const exportButton = byId('export') as HTMLButtonElement;
const addButton = byId('add-run') as HTMLButtonElement;
const uploadInput = byId('upload-model') as HTMLInputElement;
const figures = liveFigures(byId('figures'));

registerBrowserBackends();

let state: PlaygroundState;
let cards: RunCard[] = [];
let trained: RunStore | undefined;
let controller: AbortController | undefined;

function say(text: string, kind: 'info' | 'problem' = 'info'): void {
  statusBox.textContent = text;
  statusBox.className = kind;
}

const message = (e: unknown) => (isOverparamError(e) ? `${e.message} (${e.code})` : e instanceof Error ? e.message : String(e));

/** The state into the address (replacing it: every edit is not a page of history) and onto the page. */
function show(next: PlaygroundState): void {
  state = next;
  history.replaceState(null, '', stateToHash(state));
  const editable = controller === undefined;
  cards = state.runs.map((config, i) =>
    runCard(
      i,
      config,
      (changed) => show({ runs: state.runs.map((c, j) => (j === i ? changed : c)) }),
      state.runs.length > 1 ? () => show({ runs: state.runs.filter((_, j) => j !== i) }) : undefined,
    ),
  );
  runsBox.replaceChildren(...cards.map((c) => c.element));
  setEditable(editable);
}

/** The runs cannot change while they train. */
function setEditable(editable: boolean): void {
  runsBox.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('input, select, button').forEach((control) => (control.disabled = !editable));
  addButton.disabled = !editable;
  uploadInput.disabled = !editable;
  trainButton.disabled = !editable;
  stopButton.disabled = editable;
}

function loadFromAddress(): void {
  const { state: loaded, problem } = stateFromHash(location.hash);
  if (problem !== undefined) say(problem, 'problem');
  show(loaded);
}

async function train(): Promise<void> {
  controller = new AbortController();
  setEditable(false);
  exportButton.disabled = true;
  say(`training ${state.runs.length} run${state.runs.length === 1 ? '' : 's'}…`);
  const problems: string[] = [];
  // Run configs default to the MNIST digits too.
  if (state.runs.some((r) => (r.data ?? BUNDLED_DATA_SET) === BUNDLED_DATA_SET)) await provideBundledMnist();
  const { store, done } = trainRuns(
    state.runs,
    {
      onStart(i, start) {
        const skipped = start.backendSkipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
        const why = state.runs[i]!.backend === undefined || state.runs[i]!.backend === 'auto' ? `chosen automatically${skipped === '' ? ', the first that loaded' : `; skipped ${skipped}`}` : 'as asked';
        cards[i]!.status.dataset['backend'] = start.backend;
        cards[i]!.status.textContent = `${start.modelName} (${start.paramCount.toLocaleString('en')} parameters) on ${start.data}; backend ${start.backend} (${why})`;
        figures.changed();
      },
      onProgress(i, step, steps, loss) {
        cards[i]!.status.dataset['step'] = String(step);
        const first = cards[i]!.status.textContent!.split(' — ')[0];
        cards[i]!.status.textContent = `${first} — step ${step} of ${steps}, loss ${loss.toPrecision(4)}`;
        figures.changed();
      },
      onEnd(i, summary) {
        const status = cards[i]!.status;
        const first = status.textContent!.split(' — ')[0];
        status.dataset['outcome'] = summary.outcome;
        status.dataset['stepsPerSecond'] = String(summary.steps / Math.max(summary.trainSeconds, 1e-9));
        const measured = (state.runs[i]!.metrics ?? []).length > 0 ? ', measurements included' : '';
        const rate = `${(summary.steps / Math.max(summary.trainSeconds, 1e-9)).toFixed(1)} steps/s${measured}`;
        if (summary.outcome === 'diverged') {
          const reason = summary.divergence === undefined ? '' : ` (${summary.divergence.reason})`;
          status.textContent = `${first} — DIVERGED at step ${summary.divergedAtStep ?? summary.steps}${reason}. Training stopped; lower the learning rate.`;
          status.classList.add('problem');
          problems.push(`run ${i + 1} diverged at step ${summary.divergedAtStep ?? summary.steps} and was stopped`);
        } else if (summary.outcome === 'completed') {
          const accuracy = summary.testAccuracy === null ? '' : `, test accuracy ${(summary.testAccuracy * 100).toFixed(1)}%`;
          status.textContent = `${first} — done: ${summary.steps} steps, final training loss ${summary.finalTrainLoss?.toPrecision(4) ?? '—'}${accuracy}; ${rate}`;
        } else status.textContent = `${first} — ${summary.outcome} after ${summary.steps} steps`;
        figures.changed();
      },
      onError(i, e) {
        cards[i]!.status.dataset['outcome'] = 'failed';
        cards[i]!.status.textContent = `could not train: ${message(e)}`;
        cards[i]!.status.classList.add('problem');
        problems.push(`run ${i + 1} failed: ${message(e)}`);
      },
    },
    controller.signal,
  );
  trained = store;
  figures.follow(store);
  await done;
  await figures.flush();
  const stopped = controller.signal.aborted;
  controller = undefined;
  setEditable(true);
  exportButton.disabled = false;
  if (problems.length > 0) say(problems.join('; '), 'problem');
  else say(stopped ? 'stopped' : 'done');
}

/** The chosen model files imported and offered as an architecture; the last run card switches to it. */
async function loadModel(): Promise<void> {
  const files = Array.from(uploadInput.files ?? []);
  // Choosing the same files again (after fixing one) must fire another change.
  uploadInput.value = '';
  if (files.length === 0) return;
  try {
    const { arch, notice } = await registerUploadedModel(files);
    const last = state.runs.length - 1;
    show({ runs: state.runs.map((c, i) => (i === last ? { ...c, arch, archOptions: initialOptions(arch) } : c)) });
    say(notice);
  } catch (e) {
    say(`could not load the model: ${message(e)}`, 'problem');
  }
}

byId('comparisons').append(
  ...comparisons.map((c) => {
    const link = Object.assign(document.createElement('a'), { href: stateToHash(c.state), textContent: c.title });
    return link;
  }),
);
addEventListener('hashchange', loadFromAddress);
addButton.addEventListener('click', () => show({ runs: [...state.runs, state.runs.at(-1)!] }));
trainButton.addEventListener('click', () => void train().catch((e: unknown) => say(message(e), 'problem')));
stopButton.addEventListener('click', () => controller?.abort());
uploadInput.addEventListener('change', () => void loadModel());
exportButton.addEventListener('click', async () => {
  if (trained === undefined) return;
  const zip = await exportRuns(trained);
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([zip as BlobPart], { type: 'application/zip' })), download: 'overparam-runs.zip' });
  link.click();
  URL.revokeObjectURL(link.href);
});

loadFromAddress();
document.body.dataset['ready'] = 'true';
