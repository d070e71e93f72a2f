import { numberField, recordsOf, type LabelledRunView } from '@overparam/experiments';
import type { LabelledRun } from '../charts/loss-curves';
import { recordCurvesSpec } from '../charts/record-curves';
import { drawnWhenData, settingsTitle, type Figure } from './figure';
import { atInit, measuredAtInit } from './population-gram-values';

/** λ_min of the last layer's block G⁽ᴴ⁾(k) during training, with λ₀ and λ₀/2 (c12's training claim). */
function trainingFigure(runs: readonly LabelledRunView[]): Figure[] {
  const curves: LabelledRun[] = [];
  let lambda0: number | undefined;
  for (const r of runs) {
    const gram = atInit(r);
    const layer = typeof gram?.['layer'] === 'string' ? gram['layer'] : undefined;
    lambda0 ??= numberField(gram, 'lambda0');
    if (layer === undefined) continue;
    const records = recordsOf(r, 'spectrum').flatMap((s) => {
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
      spec: recordCurvesSpec([...curves, line('λ₀ (population)', lambda0), line('λ₀ / 2', lambda0 / 2)], { kind: 'last-layer', field: 'value', yTitle: 'λ_min(G⁽ᴴ⁾(k))', legendTitle: `${settingsTitle(runs)}, and λ₀` }),
    },
  ];
}

export const populationGramTraining = drawnWhenData({ id: 'population-gram-training', records: ['population-gram'], draw: (input) => trainingFigure(measuredAtInit(input.runs)) });
