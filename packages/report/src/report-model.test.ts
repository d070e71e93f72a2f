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
    // Both runs measured at step 0 only: the figure says it is the state at initialization.
    expect(figure?.title).toBe('min cosine (per-example gradients) at initialization against depth');
    expect(figure?.caption).toContain('(every run measured it at initialization)');
  });

  it('names no step when the runs measured at different ones', () => {
    const runs = [2, 8].map((depth, i): LabelledRunView => ({
      ...runWith([{ kind: 'confusion', step: 10 * i, epoch: 0, minCos: -0.3 - i / 10 }] as unknown as RunRecord[]),
      id: `d${depth}`,
      settings: { 'archOptions.depth': depth },
      setting: `depth=${depth}`,
    }));
    expect(buildReport(runs, { title: 't' }).figures.find((f) => f.id === 'min-cosine-vs-depth')?.title).toBe('min cosine (per-example gradients) against depth');
  });
});

describe('buildReport, the figures a preset names', () => {
  const runs = [2, 8].map((depth, i): LabelledRunView => ({
    ...runWith([
      { kind: 'train', step: 0, epoch: 0, loss: 2 },
      { kind: 'train', step: 10, epoch: 0, loss: 1 - i / 10 },
      { kind: 'confusion', step: 0, epoch: 0, minCos: -0.3 - i / 10 },
    ] as unknown as RunRecord[]),
    id: `d${depth}`,
    settings: { 'archOptions.depth': depth },
    setting: `depth=${depth}`,
  }));

  it('draws only the named ones, in the catalogue’s order, where every supported one is drawn without a list', () => {
    const all = buildReport(runs, { title: 't' }).figures.map((f) => f.id);
    expect(all).toEqual(['training-loss', 'min-cosine-vs-depth']);
    const named = (figures: string[]) => buildReport(runs, { title: 't', figures }).figures.map((f) => f.id);
    expect(named(['min-cosine-vs-depth'])).toEqual(['min-cosine-vs-depth']);
    expect(named(['min-cosine-vs-depth', 'training-loss'])).toEqual(all);
  });

  it('draws nothing for an empty list', () => {
    expect(buildReport(runs, { title: 't', figures: [] }).figures).toEqual([]);
  });
});

describe('buildReport, near-orthogonality of points on the sphere (Lemma B.1)', () => {
  it('draws max |⟨xᵢ, xⱼ⟩|, √(log N / d) and ν of each draw against d', () => {
    const n = 100;
    const runs = [64, 256].flatMap((d) =>
      [0, 1].map((draw): LabelledRunView => {
        const scale = Math.sqrt(Math.log(n) / d);
        return {
          ...runWith([{ kind: 'data-geometry', step: 0, epoch: 0, maxAbsInner: (1.8 + draw / 10) * scale, scale, bound: 3 * scale, boundDelta: 0.01 }] as unknown as RunRecord[]),
          id: `d${d}-${draw}`,
          settings: { 'dataOptions.d': d, dataSeed: draw },
          setting: `d=${d}`,
        };
      }),
    );
    const figure = buildReport(runs, { title: 't', figures: ['near-orthogonality-vs-dimension'] }).figures[0];
    expect(figure?.id).toBe('near-orthogonality-vs-dimension');
    const values = (figure?.spec as { datasets?: { values?: Array<{ series: string; x: number; value: number }> } }).datasets?.values ?? [];
    const of = (prefix: string) => values.filter((v) => v.series.startsWith(prefix)).map((v) => [v.x, Number(v.value.toFixed(6))]);
    const at = (d: number, k: number) => Number((k * Math.sqrt(Math.log(n) / d)).toFixed(6));
    expect(of('max')).toEqual([[64, at(64, 1.8)], [64, at(64, 1.9)], [256, at(256, 1.8)], [256, at(256, 1.9)]]);
    expect(of('Lemma B.1’s ν at δ = 0.01')).toEqual([[64, at(64, 3)], [64, at(64, 3)], [256, at(256, 3)], [256, at(256, 3)]]);
    expect(of('√(log N / d)').map(([x]) => x)).toEqual([64, 64, 256, 256]);
  });

  it('is not drawn from a single dimension', () => {
    const run = runWith([{ kind: 'data-geometry', step: 0, epoch: 0, maxAbsInner: 0.3, scale: 0.2, bound: 0.6 }] as unknown as RunRecord[]);
    expect(buildReport([{ ...run, settings: { 'dataOptions.d': 64 } }], { title: 't' }).figures.map((f) => f.id)).not.toContain('near-orthogonality-vs-dimension');
  });
});
