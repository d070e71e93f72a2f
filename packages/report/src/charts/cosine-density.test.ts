import { parse, View } from 'vega';
import { describe, expect, it } from 'vitest';
import { datasetOf, expectCompilesCleanly } from '../chart-check';
import { compileFigure } from '../render';
import { cosineDensitySpec, densitySteps } from './cosine-density';

const samples = [
  { setting: 'depth=1', values: Array.from({ length: 50 }, (_, i) => 0.4 * Math.sin(i)) },
  { setting: 'depth=4', values: [...Array.from({ length: 30 }, (_, i) => 0.2 * Math.cos(i) - 0.1), Number.NaN] },
];

describe('cosineDensitySpec', () => {
  it('carries exactly the finite cosines passed, labelled by setting', () => {
    const spec = cosineDensitySpec(samples);
    const rows = datasetOf<{ setting: string; cosine: number }>(spec, 'cosines');
    expect(rows).toEqual(samples.flatMap((s) => s.values.filter(Number.isFinite).map((cosine) => ({ setting: s.setting, cosine }))));
    expectCompilesCleanly(spec);
  });

  it('draws densities that integrate to 1 over [−1, 1]', async () => {
    // Every cosine is within ±0.4 and Scott's bandwidth here is < 0.15, so < 1e-3 of the mass falls outside [−1, 1];
    // the trapezoid rule on 200 points of a smooth curve adds < 1e-4.
    const view = new View(parse(compileFigure(cosineDensitySpec(samples)).vega), { renderer: 'none' });
    await view.runAsync();
    const curves = view.data('data_0') as Array<{ setting: string; cosine: number; density: number }>;
    for (const s of samples) {
      const curve = curves.filter((c) => c.setting === s.setting).sort((a, b) => a.cosine - b.cosine);
      // Vega samples `steps` intervals, both ends included.
      expect(curve.length).toBeGreaterThanOrEqual(densitySteps);
      let area = 0;
      for (let i = 1; i < curve.length; i++) area += ((curve[i]!.density + curve[i - 1]!.density) / 2) * (curve[i]!.cosine - curve[i - 1]!.cosine);
      expect(area).toBeCloseTo(1, 2);
    }
    view.finalize();
  });
});
