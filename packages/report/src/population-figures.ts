import type { LabelledRun } from './charts/loss-curves';
import { recordCurvesSpec } from './charts/record-curves';
import { sweptStatisticSpec, type SweptValue } from './charts/swept-statistic';
import { finiteField, lastOfKind, recordsOfKind } from './records';
import type { Figure } from './report-model';
import type { ReportRun } from './run-view';

/**
 * The figures of Du et al.'s quantities, from `population-gram` records (λ₀ = λ_min(K⁽ᴴ⁾), the net's
 * last-layer Gram G⁽ᴴ⁾ at initialization) and the last layer's block of `spectrum` records: what
 * c12 and c13 judge. Ids are stable: criteria name them.
 */

/** What a reader calls Du et al.'s nets (the legend), by architecture name. */
const netNames: Readonly<Record<string, string>> = { 'du-mlp': 'fully connected', 'du-resnet': 'ResNet' };

const numberSetting = (r: ReportRun, key: string) => (typeof r.settings[key] === 'number' ? (r.settings[key] as number) : undefined);
const netOf = (r: ReportRun) => {
  const arch = (r.config as { arch?: unknown } | null)?.arch;
  return typeof arch === 'string' ? (netNames[arch] ?? arch) : 'net';
};
const atInit = (r: ReportRun) => lastOfKind(recordsOfKind(r.records, 'population-gram').filter((p) => p.step === 0), 'population-gram');

function values(runs: readonly ReportRun[], key: string, series: (r: ReportRun) => string, read: (r: ReportRun) => number | undefined): SweptValue[] {
  return runs.flatMap((r) => {
    const x = numberSetting(r, key);
    const value = read(r);
    return x === undefined || value === undefined ? [] : [{ run: r.id, series: series(r), seed: r.seed, x, value }];
  });
}

/** A line c·x^power through the mean of the first x's values: a slope guide on log–log axes. */
function guide(points: readonly SweptValue[], power: number, series: string): SweptValue[] {
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const first = points.filter((p) => p.x === xs[0]);
  if (first.length === 0) return [];
  const c = first.reduce((s, p) => s + p.value, 0) / first.length / xs[0]! ** power;
  return xs.map((x) => ({ run: `guide-${x}`, series, seed: 0, x, value: c * x ** power }));
}

/** λ_min(G⁽ᴴ⁾(0)) / λ₀ and max |G⁽ᴴ⁾(0) − K⁽ᴴ⁾| against the width m (c12's initialization claims). */
function widthFigures(runs: readonly ReportRun[]): Figure[] {
  const key = 'archOptions.width';
  const ratio = values(runs, key, () => 'λ_min(G⁽ᴴ⁾(0)) / λ₀', (r) => finiteField(atInit(r), 'lambdaRatio'));
  const diff = values(runs, key, () => 'max |G⁽ᴴ⁾(0) − K⁽ᴴ⁾|', (r) => finiteField(atInit(r), 'maxAbsDiff'));
  if (new Set(ratio.map((v) => v.x)).size < 2) return [];
  return [
    {
      id: 'population-gram-ratio-vs-width',
      title: 'λ_min(G⁽ᴴ⁾(0)) / λ₀ against the width',
      caption:
        'The smallest eigenvalue of the last layer’s Gram G⁽ᴴ⁾(0) at initialization over λ₀ = λ_min(K⁽ᴴ⁾) of the population recursion on the same inputs, against the width m (log axes). Du et al. (2019) (§5) show it tends to 1 as m grows. Dots: one net each; line and band: mean ± std over nets.',
      spec: sweptStatisticSpec([...ratio, ...ratio.map((v) => ({ ...v, run: `one-${v.x}`, series: '1 (the limit)', value: 1 }))], { keyTitle: 'width m', statisticTitle: 'λ_min(G⁽ᴴ⁾(0)) / λ₀', logX: true, logY: true }),
    },
    {
      id: 'population-gram-distance-vs-width',
      title: 'max |G⁽ᴴ⁾(0) − K⁽ᴴ⁾| against the width',
      caption:
        'The largest entry of |G⁽ᴴ⁾(0) − K⁽ᴴ⁾| against the width m on log–log axes, with a guide of slope −½ through the narrowest width’s mean: the concentration Du et al. (2019) (§5) prove makes every entry shrink like 1/√m. Dots: one net each; line and band: mean ± std over nets.',
      spec: sweptStatisticSpec([...diff, ...guide(diff, -0.5, 'slope −½ guide')], { keyTitle: 'width m', statisticTitle: 'max |G⁽ᴴ⁾(0) − K⁽ᴴ⁾|', logX: true, logY: true }),
    },
  ];
}

/** λ_min(G⁽ᴴ⁾(0)) of each net against the depth H, with λ₀ of its population recursion (c13). */
function depthFigure(runs: readonly ReportRun[]): Figure[] {
  const key = 'archOptions.depth';
  // Only resolved, positive eigenvalues fit a log axis; the criteria say which depths fell below float32 resolution.
  const measured = values(runs, key, (r) => `${netOf(r)}, measured`, (r) => {
    const v = finiteField(atInit(r), 'lambdaMinLast');
    const max = finiteField(atInit(r), 'lambdaMaxLast');
    return v !== undefined && v > 0 && (max === undefined || v > 2 * 2 ** -23 * max) ? v : undefined;
  });
  const lambda0 = values(runs, key, (r) => `${netOf(r)}, λ₀`, (r) => {
    const v = finiteField(atInit(r), 'lambda0');
    return v !== undefined && v > 0 ? v : undefined;
  });
  if (new Set(measured.map((v) => v.x)).size < 2) return [];
  return [
    {
      id: 'population-gram-depth',
      title: 'λ_min(G⁽ᴴ⁾(0)) against the depth',
      caption:
        'The smallest eigenvalue of the last layer’s Gram G⁽ᴴ⁾(0) of a wide net at initialization (an estimate of λ₀) against the depth H, log axes, for each net, with λ₀ of its population recursion. Points below float32 resolution (2ε₃₂·λ_max of the Gram) are left out: where a net’s line stops, its λ_min is smaller than float32 gradients can tell. Dots: one net each; line and band: mean ± std over nets.',
      spec: sweptStatisticSpec([...measured, ...lambda0], { keyTitle: 'depth H', statisticTitle: 'λ_min', logX: true, logY: true }),
    },
  ];
}

/** λ_min of the last layer's block G⁽ᴴ⁾(k) during training, with λ₀ and λ₀/2 (c12's training claim). */
function trainingFigure(runs: readonly ReportRun[]): Figure[] {
  const curves: LabelledRun[] = [];
  let lambda0: number | undefined;
  for (const r of runs) {
    const gram = atInit(r);
    const layer = typeof gram?.['layer'] === 'string' ? gram['layer'] : undefined;
    lambda0 ??= finiteField(gram, 'lambda0');
    if (layer === undefined) continue;
    const records = recordsOfKind(r.records, 'spectrum').flatMap((s) => {
      const block = (s['layers'] as Record<string, { lambdaMin?: unknown }> | undefined)?.[layer]?.lambdaMin;
      return typeof block === 'number' ? [{ kind: 'last-layer', step: s.step, epoch: s.epoch, value: block }] : [];
    });
    if (records.length >= 2) curves.push({ run: r.id, setting: r.setting, seed: r.seed, records });
  }
  if (curves.length === 0 || lambda0 === undefined) return [];
  const steps = curves.flatMap((c) => c.records.map((rec) => rec.step));
  const [first, last] = [Math.min(...steps), Math.max(...steps)];
  const line = (name: string, v: number): LabelledRun => ({ run: name, setting: name, seed: 0, records: [{ kind: 'last-layer', step: first, epoch: 0, value: v }, { kind: 'last-layer', step: last, epoch: 0, value: v }] });
  return [
    {
      id: 'population-gram-training',
      title: 'λ_min(G⁽ᴴ⁾(k)) during training',
      caption: `The smallest eigenvalue of the last layer’s block of the Gram, G⁽ᴴ⁾(k), on the fixed training inputs against the gradient-descent step, one line per run, with λ₀ = ${lambda0.toPrecision(3)} of the population recursion and λ₀/2: Du et al. (2019) (Theorem 5.1) keep λ_min(G⁽ᴴ⁾(k)) ≥ λ₀/2 throughout training once the net is wide enough.`,
      spec: recordCurvesSpec([...curves, line('λ₀ (population)', lambda0), line('λ₀ / 2', lambda0 / 2)], { kind: 'last-layer', field: 'value', yTitle: 'λ_min(G⁽ᴴ⁾(k))' }),
    },
  ];
}

export function populationGramFigures(runs: readonly ReportRun[]): Figure[] {
  const measured = runs.filter((r) => atInit(r) !== undefined);
  if (measured.length === 0) return [];
  return [...widthFigures(measured), ...depthFigure(measured), ...trainingFigure(measured)];
}
