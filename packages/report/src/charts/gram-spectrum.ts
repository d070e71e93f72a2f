import type { TopLevelSpec } from 'vega-lite';
import { firstSeenOrder } from '../order';
import { numberField, recordsOf } from '@overparam/experiments';
import { meanStd } from '../stats';
import { figureSpec, panelSize, someSeriesTooShortForLine, stepAxis } from '../theme';
import type { LabelledRun } from './loss-curves';

export interface EigenPoint {
  readonly run: string;
  readonly setting: string;
  readonly step: number;
  readonly quantity: 'λ_min' | 'λ_max';
  readonly value: number;
}

export interface ConditionPoint {
  readonly run: string;
  readonly setting: string;
  readonly step: number;
  readonly condition: number;
}

/** A horizontal line on the eigenvalue panel, e.g. Du et al.'s λ₀/2. */
export interface SpectrumReference {
  readonly setting: string;
  readonly label: string;
  readonly value: number;
}

/**
 * λ_min, λ_max and κ from each run's `spectrum` records (the Gram of fixed examples, so G(k) is
 * comparable over k), and a reference per setting at half its λ_min at step 0 (the mean over its
 * seeds): Du et al. prove λ_min(G(k)) ≥ λ₀/2 throughout training when the net is wide enough.
 */
export function gramSpectrumData(runs: readonly LabelledRun[]): { eigen: EigenPoint[]; condition: ConditionPoint[]; references: SpectrumReference[] } {
  const eigen: EigenPoint[] = [];
  const condition: ConditionPoint[] = [];
  const initial = new Map<string, number[]>();
  for (const r of runs) {
    for (const rec of recordsOf(r, 'spectrum')) {
      const lmin = numberField(rec, 'lambdaMin');
      const lmax = numberField(rec, 'lambdaMax');
      const kappa = numberField(rec, 'condition');
      if (lmin !== undefined) eigen.push({ run: r.run, setting: r.setting, step: rec.step, quantity: 'λ_min', value: lmin });
      if (lmax !== undefined) eigen.push({ run: r.run, setting: r.setting, step: rec.step, quantity: 'λ_max', value: lmax });
      if (kappa !== undefined) condition.push({ run: r.run, setting: r.setting, step: rec.step, condition: kappa });
      if (rec.step === 0 && lmin !== undefined && lmin > 0) initial.set(r.setting, [...(initial.get(r.setting) ?? []), lmin]);
    }
  }
  const references = [...initial].map(([setting, values]) => ({ setting, label: `λ_min(0)/2, ${setting}`, value: meanStd(values).mean / 2 }));
  return { eigen, condition, references };
}

/** Beyond this many settings the reference lines crowd out the curves; they are left out. */
export const maxSpectrumReferences = 4;

/** Two panels against step: λ_min and λ_max of the Gram with the references, then κ = λ_max/λ_min. Log axes where every value is positive. */
export function gramSpectrumSpec(runs: readonly LabelledRun[], options: { title?: string; references?: readonly SpectrumReference[]; legendTitle?: string } = {}): TopLevelSpec {
  const data = gramSpectrumData(runs);
  const references = options.references ?? (data.references.length <= maxSpectrumReferences ? data.references : []);
  const color = { field: 'setting', type: 'nominal', title: options.legendTitle ?? 'setting', sort: firstSeenOrder(runs.map((r) => r.setting)) };
  const logEigen = data.eigen.every((p) => p.value > 0) && references.every((r) => r.value > 0);
  const logKappa = data.condition.every((p) => p.condition > 0);
  const eigenScale = logEigen ? { type: 'log' } : { zero: false };
  const eigenY = { field: 'value', type: 'quantitative', scale: eigenScale, title: 'eigenvalue of the Gram' };
  // A run with one spectrum record (or two) needs its points drawn. They are a layer of their own:
  // with `point: true` on the dashed lines, the dash legend's symbols would lose their stroke.
  const eigenPoints = someSeriesTooShortForLine(data.eigen.map((p) => JSON.stringify([p.run, p.quantity])))
    ? [{ data: { name: 'eigen' }, mark: { type: 'circle', size: 36, opacity: 1 }, encoding: { x: stepAxis, y: eigenY, color: { ...color, legend: null }, detail: { field: 'run', type: 'nominal' } } }]
    : [];
  const eigenPanel = {
    ...panelSize,
    layer: [
      {
        data: { name: 'eigen' },
        // No point markers: with filled points Vega-Lite draws the dash legend's symbols without a stroke.
        mark: { type: 'line', strokeWidth: 1.8 },
        encoding: {
          x: stepAxis,
          y: eigenY,
          color,
          // The legend's symbols are strokes; without a colour of their own they would be invisible.
          strokeDash: { field: 'quantity', type: 'nominal', title: 'eigenvalue', sort: ['λ_min', 'λ_max'], legend: { symbolStrokeColor: '#444' } },
          detail: { field: 'run', type: 'nominal' },
        },
      },
      ...eigenPoints,
      ...(references.length > 0
        ? [{ data: { name: 'references' }, mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.2 }, encoding: { y: { field: 'value', type: 'quantitative' }, color } }]
        : []),
    ],
  };
  const conditionPanel = {
    ...panelSize,
    data: { name: 'condition' },
    mark: { type: 'line', point: true, strokeWidth: 1.8 },
    encoding: {
      x: stepAxis,
      y: { field: 'condition', type: 'quantitative', scale: logKappa ? { type: 'log' } : { zero: false }, title: 'κ = λ_max / λ_min' },
      color,
      detail: { field: 'run', type: 'nominal' },
    },
  };
  return figureSpec(
    { eigen: data.eigen, condition: data.condition, references: [...references] },
    { ...(options.title !== undefined ? { title: options.title } : {}), vconcat: [eigenPanel, conditionPanel], resolve: { scale: { color: 'shared' } } },
  );
}
