import type { RunRecord } from '@overparam/core';
import { figuresOfSection, fmt, getPreset, labelRuns, presets, presetScales, presetSweeps, shortKey, sweepCells, type CellResult, type LabelledRunView, type Preset, type RunSummary } from '@overparam/experiments';
import { buildReport } from '../report-model';
import { fullTrainingLoss } from './full-training-loss';
import { describe, expect, it } from 'vitest';
import { figureCatalogue, figureDefinitionOf } from '.';

/** What a preset's runs can show, from its sweeps at every scale: the record kinds its runs write, and its numeric swept keys. */
function recordedBy(preset: Preset): { kinds: Set<string>; sweptKeys: Set<string> } {
  const kinds = new Set<string>();
  const sweptKeys = new Set<string>();
  for (const scale of presetScales) {
    for (const { spec } of presetSweeps(preset, scale)) {
      for (const [key, values] of Object.entries(spec.grid)) if (values.length >= 2 && values.every((v) => typeof v === 'number')) sweptKeys.add(shortKey(key));
      for (const cell of sweepCells(spec)) {
        // The loop logs `train` records whenever a run takes steps; each metric writes records of its own name.
        if (cell.config.steps > 0) kinds.add('train');
        for (const metric of cell.config.metrics) kinds.add(metric.name);
      }
    }
  }
  return { kinds, sweptKeys };
}

describe('the figures presets name', () => {
  it('has one definition per id', () => {
    const ids = figureCatalogue.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(presets.map((p) => [p.id, p] as const))('%s: each named figure exists and is drawn from what its sweeps record', (_id, preset) => {
    const { kinds, sweptKeys } = recordedBy(preset);
    // A figure named `<sweep key>-<id>` is drawn in that sweep's section, by its catalogue id.
    const keys = [...new Set(presetScales.flatMap((scale) => Object.keys(preset.scales[scale].sweeps)))];
    for (const id of new Set(keys.flatMap((key) => figuresOfSection(preset.figures, key, keys)))) {
      const from = figureDefinitionOf(id)?.drawnFrom(id);
      expect(from, `${preset.id} names '${id}', which no figure draws`).toBeDefined();
      if (from!.records.length > 0) expect(from!.records.some((k) => kinds.has(k)), `'${id}' reads ${from!.records.join(' or ')}; ${preset.id} records ${[...kinds].join(', ')}`).toBe(true);
      if (from!.sweptKey !== undefined) expect([...sweptKeys], `'${id}' needs the swept key ${from!.sweptKey}`).toContain(from!.sweptKey);
    }
  });

  it('refuses a figure no definition draws, and one whose records a preset does not write', () => {
    expect(figureDefinitionOf('no-such-figure')).toBeUndefined();
    expect(figureDefinitionOf('min-cosine-vs-depth')?.drawnFrom('min-cosine-vs-depth')).toEqual({ records: ['confusion'], sweptKey: 'depth' });
    const c13 = presets.find((p) => p.id === 'c13-du-resnet-depth')!;
    expect(recordedBy(c13).kinds.has('confusion')).toBe(false);
  });
});

/** A preset's sweep cells as completed runs with the given records and final loss, labelled as the report labels them. */
function runsOf(presetId: string, key: string, records: (overrides: Readonly<Record<string, unknown>>, seed: number) => RunRecord[], finalTrainLoss = 0.5): LabelledRunView[] {
  const { spec } = presetSweeps(getPreset(presetId), 'smoke').find((s) => s.key === key)!;
  const runs: CellResult[] = sweepCells(spec).map((c) => ({ id: c.id, status: 'completed', overrides: c.overrides, seed: c.seed, config: c.config, summary: { outcome: 'completed', steps: c.config.steps, finalTrainLoss } as RunSummary, records: records(c.overrides, c.seed) }));
  return labelRuns(runs, () => true);
}

/** Every legend title a spec gives its colour channel. */
function legendTitles(spec: unknown): string[] {
  if (spec === null || typeof spec !== 'object') return [];
  const node = spec as Record<string, unknown>;
  const own = typeof (node['color'] as { title?: unknown } | undefined)?.title === 'string' ? [(node['color'] as { title: string }).title] : [];
  return [...own, ...Object.entries(node).flatMap(([k, v]) => (k === 'datasets' ? [] : legendTitles(v)))];
}

describe('what the figures show', () => {
  it("c12: the full training loss carries Du et al.'s bound (1 − ηλ₀/2)^k · L(0) from each run's own η and λ₀, the number the rate criterion compares with", () => {
    const lambda0 = 0.2;
    const runs = runsOf('c12-du-global-minima', 'training', () => [
      { kind: 'population-gram', step: 0, epoch: 0, lambda0 },
      ...[0, 10, 20, 30, 40].map((step) => ({ kind: 'full-loss', step, epoch: 0, loss: 0.5 * 0.9 ** step })),
    ] as unknown as RunRecord[]);
    const figure = fullTrainingLoss.draw({ runs, lrPicks: [], measurements: [] })[0]!;
    const guides = (figure.spec as { datasets: { guides?: Array<{ run: string; setting: string; step: number; loss: number }> } }).datasets.guides ?? [];
    // η = lr / n on Du et al.'s summed loss: c12 descends the mean of n = 16 examples at lr 2.
    const { lr, dataOptions } = runs[0]!.config!;
    const perStep = 1 - ((lr / (dataOptions['n'] as number)) * lambda0) / 2;
    expect(perStep).toBeCloseTo(0.9875, 12);
    expect(guides).toHaveLength(runs.length * 5);
    for (const g of guides) expect(g.loss).toBeCloseTo(0.5 * perStep ** g.step, 12);
    expect(new Set(guides.map((g) => g.setting))).toEqual(new Set(['bound (1 − ηλ₀/2)^k · L(0)']));
    expect(JSON.stringify(figure.spec)).toContain('"strokeDash":[6,4]');
    expect(figure.caption).toContain('Dashed');
    // The criterion's bound is the same number: ln(1 − ηλ₀/2).
    const criteria = getPreset('c12-du-global-minima').criteria({ init: { key: 'init', cells: [] }, training: { key: 'training', cells: runs as CellResult[] } }, 'smoke');
    expect(criteria.find((c) => c.figure === 'training-full-training-loss')!.measured).toContain(`bound ln(1 − η_Du λ₀/2) = ${fmt(Math.log(perStep))}`);
    // Runs without λ₀ get no guide.
    const plain = fullTrainingLoss.draw({ runs: runs.map((r) => ({ ...r, records: r.records.filter((x) => x.kind === 'full-loss') })), lrPicks: [], measurements: [] })[0]!;
    expect((plain.spec as { datasets: Record<string, unknown> }).datasets['guides']).toBeUndefined();
  });

  it('titles each legend by what its series are, never "setting"', () => {
    // c7: the measured maximum beside the lemma's scale and bound.
    const c7 = runsOf('c7-near-orthogonality', 'main', (o) => [{ kind: 'data-geometry', step: 0, epoch: 0, maxAbsInner: 1 / Math.sqrt(o['dataOptions.d'] as number), scale: 2 / Math.sqrt(o['dataOptions.d'] as number), bound: 0.9, boundDelta: 0.01 }] as unknown as RunRecord[]);
    const [orthogonality] = figureDefinitionOf('near-orthogonality-vs-dimension')!.draw({ runs: c7, lrPicks: [], measurements: [] });
    expect(legendTitles(orthogonality!.spec)).toEqual(['measured, and Lemma B.1', 'measured, and Lemma B.1', 'measured, and Lemma B.1']);
    // c2: one colour per family, the swept keys other than the x axis's.
    const c2 = runsOf('c2-mlp-depth', 'depth', () => [{ kind: 'train', step: 0, epoch: 0, loss: 2 }, { kind: 'train', step: 5, epoch: 0, loss: 1 }, { kind: 'confusion', step: 0, epoch: 0, minCos: -0.5 }] as unknown as RunRecord[]);
    const model = buildReport(c2, { title: 't', figures: getPreset('c2-mlp-depth').figures.concat('training-loss') });
    expect(model.figures.map((f) => f.id)).toEqual(expect.arrayContaining(['training-loss', 'min-cosine-vs-depth', 'final-train-loss-vs-depth']));
    for (const f of model.figures) for (const title of legendTitles(f.spec)) expect(title, f.id).not.toBe('setting');
    expect(legendTitles(model.figures.find((f) => f.id === 'min-cosine-vs-depth')!.spec)[0]).toBe('activation, init');
    expect(legendTitles(model.figures.find((f) => f.id === 'training-loss')!.spec)[0]).toBe('activation, init, depth');
  });
});
