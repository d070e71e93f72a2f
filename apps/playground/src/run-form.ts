import { architectureNames } from '@overparam/architectures';
import { lossNames, optimizerNames } from '@overparam/core';
import { dataSetAvailability, dataSetNames } from '@overparam/data';
import type { RunConfigInput } from '@overparam/experiments';
import { browserBackendChoices } from './browser-backends';
import { BUNDLED_DATA_SET } from './mnist-digits';
import { architectureFields, initialOptions, type OptionField } from './option-fields';
import { liveMetrics, measureEvery } from './playground-state';

/** Data sets a page can load: the bundled MNIST digits and the synthetic sets (not the file-based ones). */
function browserDataSets(): string[] {
  return dataSetNames.filter((name) => {
    if (name === BUNDLED_DATA_SET) return true;
    try {
      return dataSetAvailability(name).available;
    } catch {
      return false;
    }
  });
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, properties: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), properties);
  e.append(...children);
  return e;
}

function field(label: string, input: HTMLElement, help?: string): HTMLLabelElement {
  const l = element('label', { className: 'field', title: help ?? '' }, element('span', { textContent: label }), input);
  return l;
}

function select(name: string, choices: readonly string[], value: string, onChange: (v: string) => void): HTMLSelectElement {
  const s = element('select', { name });
  for (const c of choices) s.append(element('option', { value: c, textContent: c }));
  s.value = value;
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

function numberInput(name: string, value: number | undefined, integer: boolean, onChange: (v: number) => void): HTMLInputElement {
  const input = element('input', { type: 'number', name, step: integer ? '1' : 'any', value: value === undefined ? '' : String(value) });
  input.addEventListener('change', () => {
    const v = Number(input.value);
    if (input.value !== '' && Number.isFinite(v)) onChange(v);
  });
  return input;
}

function optionInput(f: OptionField, value: unknown, onChange: (v: unknown) => void): HTMLElement {
  const name = `archOptions.${f.key}`;
  if (f.kind === 'choice') return select(name, f.choices, typeof value === 'string' ? value : f.initial, onChange);
  if (f.kind === 'flag') {
    const box = element('input', { type: 'checkbox', name, checked: typeof value === 'boolean' ? value : f.initial });
    box.addEventListener('change', () => onChange(box.checked));
    return box;
  }
  return numberInput(name, typeof value === 'number' ? value : f.initial, f.integer, onChange);
}

export interface RunCard {
  readonly element: HTMLElement;
  /** Where the run's backend, progress and outcome are written. */
  readonly status: HTMLElement;
}

/**
 * One run's settings as a form: architecture and its options (from its schema), data, loss,
 * optimizer, learning rate, batch size, steps, seed, measurement interval, backend. Every change
 * hands the whole new config to `onChange`; the page re-renders from the state.
 */
export function runCard(index: number, config: RunConfigInput, onChange: (config: RunConfigInput) => void, onRemove: (() => void) | undefined): RunCard {
  const set = (patch: Partial<RunConfigInput>) => onChange({ ...config, ...patch });
  const arch = config.arch ?? 'mlp';
  const options = (config.archOptions ?? {}) as Record<string, unknown>;
  const card = element('article', { className: 'run-card' });
  card.dataset['run'] = String(index);
  const heading = element('h2', { textContent: `Run ${index + 1}` });
  if (onRemove !== undefined) heading.append(element('button', { type: 'button', className: 'remove', textContent: 'remove', onclick: onRemove }));
  card.append(heading);

  card.append(field('architecture', select('arch', architectureNames(), arch, (a) => set({ arch: a, archOptions: initialOptions(a) }))));
  const optionBox = element('fieldset', {}, element('legend', { textContent: `${arch} options` }));
  for (const f of architectureFields(arch)) {
    optionBox.append(field(f.key, optionInput(f, options[f.key], (v) => set({ archOptions: { ...options, [f.key]: v } })), f.help));
  }
  card.append(optionBox);
  card.append(field('data set', select('data', browserDataSets(), config.data ?? BUNDLED_DATA_SET, (d) => set({ data: d, dataOptions: {} }))));
  card.append(field('loss', select('loss', lossNames, config.loss ?? 'softmax-cross-entropy', (l) => set({ loss: l as RunConfigInput['loss'] }))));
  card.append(field('optimizer', select('optimizer', optimizerNames, config.optimizer?.name ?? 'sgd', (o) => set({ optimizer: { name: o } as RunConfigInput['optimizer'] }))));
  card.append(field('learning rate', numberInput('lr', config.lr, false, (lr) => set({ lr }))));
  card.append(field('batch size', numberInput('batchSize', typeof config.batchSize === 'number' ? config.batchSize : undefined, true, (batchSize) => set({ batchSize }))));
  card.append(field('steps', numberInput('steps', config.steps, true, (steps) => set({ steps }))));
  card.append(field('seed', numberInput('seed', config.seed, true, (seed) => set({ seed }))));
  card.append(field('measure every (steps)', numberInput('measureEvery', measureEvery(config), true, (every) => set({ metrics: (config.metrics ?? liveMetrics(every)).map((m) => ({ ...m, every })) }))));
  card.append(field('backend', select('backend', browserBackendChoices(), config.backend ?? 'auto', (backend) => set({ backend }))));
  const status = element('p', { className: 'run-status', textContent: 'not trained yet' });
  card.append(status);
  return { element: card, status };
}
