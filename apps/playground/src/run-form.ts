import { architectureNames } from '@overparam/architectures';
import { dataSetAvailability, dataSetNames } from '@overparam/data';
import { configFields, DEFAULT_ARCH, defaultLoss, type FieldDescriptor, type RunConfigInput } from '@overparam/experiments';
import { BUNDLED_DATA_SET } from './mnist-digits';
import { architectureFields, initialOptions, runFields, type OptionField } from './option-fields';
import { liveMetrics, measureEvery, withData } from './playground-state';

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

/** A run-config field's descriptor: its choices and default, as the schema states them. */
function described(path: string): FieldDescriptor {
  return configFields().find((f) => f.path === path)!;
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

function optionInput(f: OptionField, value: unknown, onChange: (v: unknown) => void, name = `archOptions.${f.key}`): HTMLElement {
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
  const arch = config.arch ?? DEFAULT_ARCH;
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
  const data = config.data ?? BUNDLED_DATA_SET;
  card.append(field('data set', select('data', browserDataSets(), data, (d) => onChange(withData(config, d)))));
  // Choices and defaults are the run config's own (its field descriptors); the loss default follows the data set.
  card.append(field('loss', select('loss', described('loss').choices!, config.loss ?? defaultLoss(data), (l) => set({ loss: l as RunConfigInput['loss'] }))));
  const optimizer = described('optimizer.name');
  card.append(field('optimizer', select('optimizer', optimizer.choices!, config.optimizer?.name ?? String(optimizer.default), (o) => set({ optimizer: { name: o } as RunConfigInput['optimizer'] }))));
  const labels: Readonly<Record<string, string>> = { lr: 'learning rate', batchSize: 'batch size' };
  for (const f of runFields(['lr', 'batchSize', 'steps', 'seed'])) {
    const value = (config as Record<string, unknown>)[f.key];
    card.append(field(labels[f.key] ?? f.key, optionInput(f, value, (v) => set({ [f.key]: v }), f.key), f.help));
  }
  card.append(field('measure every (steps)', numberInput('measureEvery', measureEvery(config), true, (every) => set({ metrics: (config.metrics ?? liveMetrics(every)).map((m) => ({ ...m, every })) }))));
  // 'auto' (the config's default), then every registered backend, as the run config's descriptor lists them.
  const backend = described('backend');
  card.append(field('backend', select('backend', backend.choices!, config.backend ?? String(backend.default), (b) => set({ backend: b }))));
  const status = element('p', { className: 'run-status', textContent: 'not trained yet' });
  card.append(status);
  return { element: card, status };
}
