import { recordsOf, type LabelledRunView } from '@overparam/experiments';
import type { SweptValue } from '../charts/swept-statistic';

/**
 * What the figures of Du et al.'s quantities share: `population-gram` records (λ₀ = λ_min(K⁽ᴴ⁾),
 * the net's last-layer Gram G⁽ᴴ⁾ at initialization) read per run. Their ids are stable: c12 and
 * c13's criteria name them.
 */

/** What a reader calls Du et al.'s nets (the legend), by architecture name. */
const netNames: Readonly<Record<string, string>> = { 'du-mlp': 'fully connected', 'du-resnet': 'ResNet' };

export const numberSetting = (r: LabelledRunView, key: string) => (typeof r.settings[key] === 'number' ? (r.settings[key] as number) : undefined);
export const netOf = (r: LabelledRunView) => {
  const arch = (r.config as { arch?: unknown } | null)?.arch;
  return typeof arch === 'string' ? (netNames[arch] ?? arch) : 'net';
};
export const atInit = (r: LabelledRunView) => recordsOf(r, 'population-gram').filter((p) => p.step === 0).at(-1);

export function values(runs: readonly LabelledRunView[], key: string, series: (r: LabelledRunView) => string, read: (r: LabelledRunView) => number | undefined): SweptValue[] {
  return runs.flatMap((r) => {
    const x = numberSetting(r, key);
    const value = read(r);
    return x === undefined || value === undefined ? [] : [{ run: r.id, series: series(r), seed: r.seed, x, value }];
  });
}

/** A line c·x^power through the mean of the first x's values: a slope guide on log–log axes. */
export function guide(points: readonly SweptValue[], power: number, series: string): SweptValue[] {
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const first = points.filter((p) => p.x === xs[0]);
  if (first.length === 0) return [];
  const c = first.reduce((s, p) => s + p.value, 0) / first.length / xs[0]! ** power;
  return xs.map((x) => ({ run: `guide-${x}`, series, seed: 0, x, value: c * x ** power }));
}


/** The runs that measured the population Gram at initialization: what every figure of Du et al.'s quantities draws from. */
export const measuredAtInit = (runs: readonly LabelledRunView[]) => runs.filter((r) => atInit(r) !== undefined);
