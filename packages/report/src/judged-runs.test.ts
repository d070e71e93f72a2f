import { getPreset, labelRuns, presetSweeps, settingOf, sweepCells, type CellResult, type LrPick, type RunSummary } from '@overparam/experiments';
import { describe, expect, it } from 'vitest';
import { judgedRunsByFigure } from './judged-runs';
import { presetReportContent } from './preset-content';
import { buildReport } from './report-model';

/**
 * A preset's first laptop sweep as completed runs with made-up outcomes (`outcome` gives each
 * cell's final loss and records), and the rule's picks: `lr` at every grid point of `pointKeys`.
 */
function madeUpResults(
  presetId: string,
  pointKeys: readonly string[],
  lr: number,
  outcome: (cell: ReturnType<typeof sweepCells>[number], i: number) => { finalTrainLoss: number; steps: number; records: CellResult['records'] },
): { key: string; cells: CellResult[]; lrPicks: LrPick[] } {
  const [{ key, spec }] = presetSweeps(getPreset(presetId), 'laptop');
  const cells = sweepCells(spec!).map((c, i): CellResult => {
    const { finalTrainLoss, steps, records } = outcome(c, i);
    return { id: c.id, status: 'completed', overrides: c.overrides, seed: c.seed, config: c.config, summary: { outcome: 'completed', steps, finalTrainLoss } as RunSummary, records };
  });
  const points = new Map(cells.map((c) => [JSON.stringify(pointKeys.map((k) => settingOf(c, k))), c]));
  const lrPicks = [...points.values()].map((c) => ({ point: Object.fromEntries(pointKeys.map((k) => [k, settingOf(c, k)])), rule: 'sankararaman-a1' as const, lr, reason: 'lowest mean final loss', onEdge: true, candidates: [] }));
  return { key: key!, cells, lrPicks };
}

/**
 * c2's laptop sweep (four families × four depths × lr {0.1, 0.01} × three runs), with made-up
 * results: the rule picked 0.1 everywhere, and at 0.1 the first run of every depth-100 net stayed
 * near chance (loss 2.2 ≥ 0.9 ln 10). The figures the criteria name must draw exactly the runs the
 * criteria judged.
 */
function c2Results(): { cells: CellResult[]; lrPicks: LrPick[] } {
  const [{ spec }] = presetSweeps(getPreset('c2-mlp-depth'), 'laptop');
  return madeUpResults('c2-mlp-depth', ['archOptions.activation', 'archOptions.init', 'archOptions.depth'], 0.1, (c, i) => {
    const depth = c.overrides['archOptions.depth'] as number;
    const nearChance = c.overrides['lr'] === 0.1 && depth === 100 && c.seed === spec!.seeds[0];
    return {
      steps: 500,
      finalTrainLoss: nearChance ? 2.2 : 0.1 + depth / 1000 + i * 1e-5,
      records: [
        { kind: 'train', step: 0, epoch: 0, loss: 2.3 },
        { kind: 'train', step: 500, epoch: 8, loss: 0.1 },
        { kind: 'confusion', step: 0, epoch: 0, minCos: -depth / 200 },
        { kind: 'minibatch-confusion', step: 500, epoch: 8, minCos: -depth / 300 - i * 1e-4 },
      ],
    };
  });
}

/**
 * c5's laptop sweep (depth × BN × skip × lr {0.05, 0.01} × three runs), with made-up results: the
 * rule picked 0.05 everywhere, and at 0.05 every plain net (no BN, no skip) stayed near chance
 * (loss 2.2 ≥ 0.9 ln 10), its cosines all 0.777 so the density's sample tells them apart.
 */
function c5Results(): { key: string; cells: CellResult[]; lrPicks: LrPick[] } {
  return madeUpResults('c5-bn-skip', ['archOptions.depth', 'archOptions.batchNorm', 'archOptions.skip'], 0.05, (c, i) => {
    const nearChance = c.overrides['lr'] === 0.05 && c.overrides['archOptions.batchNorm'] === false && c.overrides['archOptions.skip'] === false;
    return {
      steps: 600,
      finalTrainLoss: nearChance ? 2.2 : 0.5 + i * 1e-5,
      records: [{ kind: 'minibatch-confusion', step: 600, epoch: 37, minCos: -0.1, cosineValues: nearChance ? [0.777, 0.777] : [0.1 + i * 1e-4, -0.1] }],
    };
  });
}

/** The series (colour) labels of a swept-statistic or curve figure's data. */
const seriesOf = (spec: unknown) => new Set(Object.values((spec as { datasets: Record<string, Array<{ series?: string; setting?: string }>> }).datasets).flatMap((rows) => rows.flatMap((v) => v.series ?? v.setting ?? [])));

/** Every legend title a spec gives its colour channel. */
function legendTitlesOf(spec: unknown): string[] {
  if (spec === null || typeof spec !== 'object') return [];
  const node = spec as Record<string, unknown>;
  const own = typeof (node['color'] as { title?: unknown } | undefined)?.title === 'string' ? [(node['color'] as { title: string }).title] : [];
  return [...new Set([...own, ...Object.entries(node).flatMap(([k, v]) => (k === 'datasets' ? [] : legendTitlesOf(v)))])];
}

const runsOf = (spec: unknown) => new Set(((spec as { datasets: { values: Array<{ run: string }> } }).datasets.values ?? []).map((v) => v.run));

describe('figures drawn from the runs their criteria judge', () => {
  it("draws c2's end-of-training min cosine from the picked rate's trained runs, and its final loss from every run at the picked rate, saying what was left out", () => {
    const preset = getPreset('c2-mlp-depth');
    const { cells, lrPicks } = c2Results();
    const criteria = preset.criteria({ depth: { key: 'depth', cells, lrPicks } }, 'laptop');
    const model = buildReport(labelRuns(cells, () => true), { title: 't', lrPicks, figures: preset.figures, judged: judgedRunsByFigure(criteria, (id) => id) });
    const figure = (id: string) => model.figures.find((f) => f.id === id)!;

    const picked = cells.filter((c) => c.overrides['lr'] === 0.1);
    const trained = picked.filter((c) => c.summary!.finalTrainLoss! < 2);
    expect(picked).toHaveLength(48);
    expect(trained).toHaveLength(44);
    const minCos = figure('minibatch-min-cosine-vs-depth');
    expect(runsOf(minCos.spec)).toEqual(new Set(trained.map((c) => c.id)));
    expect(minCos.caption).toContain('Drawn from the 44 runs the criteria judge, at each grid point’s picked learning rate (0.1 at every grid point); left out: 48 runs at learning rates the rule did not pick, 4 runs that did not train (final loss near chance).');
    // The loss criterion keeps the nets that did not train: what the claim predicts of them.
    const loss = figure('final-train-loss-vs-depth');
    expect(runsOf(loss.spec)).toEqual(new Set(picked.map((c) => c.id)));
    expect(loss.caption).toContain('left out: 48 runs at learning rates the rule did not pick.');
    // The criteria's counts agree with the figure's.
    expect(criteria.find((c) => c.name.startsWith('tanh / glorot-normal: min cosine over minibatch'))!.measured).toContain('1 of 12 runs not trained');
  });

  it("keys c2's series by what tells them apart, not by the picked rate, which its captions name instead", () => {
    const preset = getPreset('c2-mlp-depth');
    const { cells, lrPicks } = c2Results();
    const criteria = preset.criteria({ depth: { key: 'depth', cells, lrPicks } }, 'laptop');
    const model = buildReport(labelRuns(cells, () => true), { title: 't', lrPicks, figures: preset.figures, judged: judgedRunsByFigure(criteria, (id) => id) });
    const families = ['activation=tanh, init=glorot-normal', 'activation=tanh, init=lecun-normal', 'activation=identity, init=glorot-normal', 'activation=identity, init=lecun-normal'];
    for (const id of ['minibatch-min-cosine-vs-depth', 'final-train-loss-vs-depth']) {
      const figure = model.figures.find((f) => f.id === id)!;
      expect(seriesOf(figure.spec), id).toEqual(new Set(families));
      expect(legendTitlesOf(figure.spec), id).toEqual(['activation, init']);
      expect(figure.caption, id).toContain('0.1 at every grid point');
    }
    // The curves have one series per family and depth.
    const curves = model.figures.find((f) => f.id === 'training-loss-at-picked-lr')!;
    expect(seriesOf(curves.spec)).toEqual(new Set(families.flatMap((f) => [...new Set(cells.map((c) => settingOf(c, 'archOptions.depth')))].map((d) => `${f}, depth=${String(d)}`))));
    expect(legendTitlesOf(curves.spec)).toEqual(['activation, init, depth']);
    expect(curves.caption).toContain('0.1 at every grid point');
  });

  it("draws c5's cosine density from the picked rate's trained runs alone, saying how many did not train", () => {
    const preset = getPreset('c5-bn-skip');
    const { key, cells, lrPicks } = c5Results();
    const criteria = preset.criteria({ [key]: { key, cells, lrPicks } }, 'laptop');
    const model = buildReport(labelRuns(cells, () => true), { title: 't', lrPicks, figures: preset.figures, judged: judgedRunsByFigure(criteria, (id) => id) });
    const density = model.figures.find((f) => f.id === 'cosine-density')!;
    const cosines = (density.spec as unknown as { datasets: { cosines: Array<{ cosine: number }> } }).datasets.cosines.map((c) => c.cosine);
    const picked = cells.filter((c) => c.overrides['lr'] === 0.05);
    const trained = picked.filter((c) => c.summary!.finalTrainLoss! < 2);
    expect(trained.length).toBeGreaterThan(0);
    expect(cosines).toHaveLength(2 * trained.length);
    expect(cosines).not.toContain(0.777);
    // The legends name the variants in the criteria's words, which the preset declares once.
    const named = buildReport(labelRuns(cells, () => true), { title: 't', lrPicks, figures: preset.figures, judged: judgedRunsByFigure(criteria, (id) => id), settingNames: presetReportContent(preset, 'laptop', criteria).settingNames });
    const variants = ['no BN, no skip', 'BN, no skip', 'no BN, skip', 'BN + skip'];
    expect(seriesOf(named.figures.find((f) => f.id === 'minibatch-min-cosine-vs-depth')!.spec)).toEqual(new Set(variants.slice(1)));
    expect(seriesOf(named.figures.find((f) => f.id === 'final-train-loss-vs-depth')!.spec)).toEqual(new Set(variants));
    expect(legendTitlesOf(named.figures.find((f) => f.id === 'final-train-loss-vs-depth')!.spec)).toEqual(['variant']);
    const namedDensity = named.figures.find((f) => f.id === 'cosine-density')!;
    expect(new Set((namedDensity.spec as unknown as { datasets: { cosines: Array<{ setting: string }> } }).datasets.cosines.map((c) => c.setting))).toEqual(new Set(variants.slice(1).flatMap((v) => [`depth=10, ${v}`, `depth=16, ${v}`, `depth=22, ${v}`])));
    expect(density.caption).toContain(`Drawn from the ${trained.length} runs the criteria judge, at each grid point’s picked learning rate (0.05 at every grid point); left out: ${cells.length - picked.length} runs at learning rates the rule did not pick, ${picked.length - trained.length} runs that did not train (final loss near chance).`);
  });

  it('draws every run where a criterion naming the figure reads them all, and no figure where the judged runs cannot draw it', () => {
    const { cells, lrPicks } = c2Results();
    const runs = labelRuns(cells, () => true);
    const all = judgedRunsByFigure(
      [
        { name: 'a', verdict: 'pass', measured: null, figure: 'final-train-loss-vs-depth', runs: { judged: [cells[0]!.id], notTrained: [] } },
        { name: 'b', verdict: 'pass', measured: null, figure: 'final-train-loss-vs-depth' },
      ],
      (id) => id,
    );
    expect(all.size).toBe(0);
    const none = judgedRunsByFigure([{ name: 'a', verdict: 'pass', measured: null, figure: 'final-train-loss-vs-depth', runs: { judged: [], notTrained: cells.map((c) => c.id) } }], (id) => id);
    const model = buildReport(runs, { title: 't', lrPicks, figures: ['final-train-loss-vs-depth'], judged: none });
    expect(model.figures).toHaveLength(0);
  });
});
