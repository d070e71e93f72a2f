import type { RunRecord } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { buildReport } from './report-model';
import type { LabelledRunView } from '@overparam/experiments';

function runWith(records: RunRecord[]): LabelledRunView {
  return { id: 'run-1', status: 'running', overrides: {}, config: undefined, summary: undefined, records, seed: 0, settings: {}, setting: 'MLP-10-100' };
}

describe('buildReport, minibatch-pair cosines over training', () => {
  const measured = [
    { kind: 'minibatch-confusion', step: 0, epoch: 0, minCos: -0.25, meanCos: 0.5 },
    { kind: 'minibatch-confusion', step: 25, epoch: 0, minCos: -0.125, meanCos: 0.375 },
  ] as unknown as RunRecord[];

  it('draws the min and the mean cosine once a run has measured twice, each from its own field', () => {
    const figures = buildReport([runWith(measured)], { title: 't' }).figures;
    const byId = new Map(figures.map((f) => [f.id, f]));
    for (const [id, values] of [
      ['minibatch-confusion-mincos-over-training', [-0.25, -0.125]],
      ['minibatch-confusion-meancos-over-training', [0.5, 0.375]],
    ] as const) {
      const points = (byId.get(id)?.spec as { datasets?: { points?: Array<{ step: number; value: number }> } } | undefined)?.datasets?.points;
      expect(points?.map((p) => [p.step, p.value]), id).toEqual([
        [0, values[0]],
        [25, values[1]],
      ]);
    }
  });

  it('draws neither from a single measurement', () => {
    const ids = buildReport([runWith(measured.slice(0, 1))], { title: 't' }).figures.map((f) => f.id);
    expect(ids.filter((id) => id.includes('over-training'))).toEqual([]);
  });
});

describe('buildReport, the data bound beside a min cosine', () => {
  it('draws −max |cos(xᵢ, xⱼ)| of each run’s inputs in the min-cosine figure', () => {
    const runs = [2, 8].map((depth, i): LabelledRunView => ({
      ...runWith([
        { kind: 'confusion', step: 0, epoch: 0, minCos: -0.3 - i / 10 },
        { kind: 'data-geometry', step: 0, epoch: 0, maxAbsCosine: 0.5 + i / 10 },
      ] as unknown as RunRecord[]),
      id: `d${depth}`,
      settings: { 'archOptions.depth': depth },
      setting: `depth=${depth}`,
    }));
    const figure = buildReport(runs, { title: 't' }).figures.find((f) => f.id === 'min-cosine-vs-depth');
    const values = (figure?.spec as { datasets?: { values?: Array<{ series: string; x: number; value: number }> } }).datasets?.values ?? [];
    expect(values.filter((v) => v.series.startsWith('data bound')).map((v) => [v.x, v.value])).toEqual([
      [2, -0.5],
      [8, -0.6],
    ]);
    expect(figure?.caption).toContain('−max |cos(xᵢ, xⱼ)|');
  });
});
