import { describe, expect, it } from 'vitest';
import { classesOf, datasetOf, expectCompilesCleanly, findElements, parseSvg, textsUnder } from '../chart-check';
import { renderSvg } from '../render';
import { fixtureRecords } from '../test-fixtures';
import { gramSpectrumSpec, maxSpectrumReferences, type ConditionPoint, type EigenPoint, type SpectrumReference } from './gram-spectrum';

const runs = [1, 3].map((depth) => ({ run: `d${depth}`, setting: `depth=${depth}`, seed: 0, records: fixtureRecords({ depth, seed: 0 }) }));

describe('gramSpectrumSpec', () => {
  it('plots λ_min, λ_max and κ of every spectrum record and λ_min(0)/2 per run', () => {
    const spec = gramSpectrumSpec(runs);
    const eigen = datasetOf<EigenPoint>(spec, 'eigen');
    const spectra = runs.flatMap((r) => r.records.filter((x) => x.kind === 'spectrum').map((x) => ({ r, x })));
    expect(eigen.filter((p) => p.quantity === 'λ_min').map((p) => [p.run, p.step, p.value])).toEqual(spectra.map(({ r, x }) => [r.run, x.step, x.lambdaMin]));
    expect(eigen.filter((p) => p.quantity === 'λ_max').map((p) => p.value)).toEqual(spectra.map(({ x }) => x.lambdaMax));
    expect(datasetOf<ConditionPoint>(spec, 'condition').map((p) => p.condition)).toEqual(spectra.map(({ x }) => x.condition));
    // fixtureRecords puts λ_min(0) = 0.5/depth.
    expect(datasetOf<SpectrumReference>(spec, 'references').map((r) => r.value)).toEqual([0.25, 0.5 / 3 / 2]);
    expectCompilesCleanly(spec);
  });

  it('draws one reference per setting at half the mean λ_min(0) over its seeds, and none for crowded sweeps', () => {
    const seeds = [0, 1].map((seed) => ({ run: `s${seed}`, setting: 'depth=2', seed, records: [{ kind: 'spectrum', step: 0, epoch: 0, lambdaMin: 1 + seed, lambdaMax: 9, condition: 9 / (1 + seed) }] }));
    // Mean of λ_min(0) = 1 and 2 is 1.5; half of it 0.75.
    expect(datasetOf<SpectrumReference>(gramSpectrumSpec(seeds), 'references')).toEqual([{ setting: 'depth=2', label: 'λ_min(0)/2, depth=2', value: 0.75 }]);
    const crowded = Array.from({ length: maxSpectrumReferences + 1 }, (_, i) => ({ ...seeds[0]!, run: `r${i}`, setting: `w=${i}` }));
    expect(datasetOf<SpectrumReference>(gramSpectrumSpec(crowded), 'references')).toEqual([]);
  });

  it('falls back to a linear axis when λ_min is not positive', () => {
    const records = [{ kind: 'spectrum', step: 0, epoch: 0, lambdaMin: -1e-9, lambdaMax: 2, condition: null }];
    const spec = gramSpectrumSpec([{ run: 'a', setting: 'a', seed: 0, records }]) as unknown as { vconcat: Array<{ layer: Array<{ encoding: { y: { scale: object } } }> }> };
    expect(spec.vconcat[0]!.layer[0]!.encoding.y.scale).toEqual({ zero: false });
    expectCompilesCleanly(spec as never);
  });
});

describe('gramSpectrumSpec of a run with one spectrum record', () => {
  const records = [{ kind: 'spectrum', step: 0, epoch: 0, lambdaMin: 0.5, lambdaMax: 5, condition: 10 }];
  const spec = gramSpectrumSpec([{ run: 'once', setting: 'depth=2', seed: 0, records }]);

  it('draws a visible point for each eigenvalue, since a line through one point draws nothing', async () => {
    const { svg, warnings } = await renderSvg(spec);
    expect(warnings).toEqual([]);
    // Vega-Lite names the marks of the first of the stacked panels (the eigenvalues) `concat_0_…`.
    const eigenSymbols = findElements(parseSvg(svg), (e) => classesOf(e).includes('mark-symbol') && classesOf(e).some((c) => c.startsWith('concat_0_')));
    const drawn = eigenSymbols.flatMap((group) => group.children).filter((p) => p.tag === 'path' && (p.attrs['d'] ?? '') !== '' && p.attrs['opacity'] !== '0');
    expect(drawn).toHaveLength(datasetOf<EigenPoint>(spec, 'eigen').length);
  });

  it('labels the step axes with whole numbers', async () => {
    const { svg } = await renderSvg(spec);
    const stepAxes = findElements(parseSvg(svg), (e) => (e.attrs['aria-label'] ?? '').startsWith("X-axis titled 'step'"));
    expect(stepAxes).toHaveLength(2);
    for (const axis of stepAxes) {
      const labels = findElements(axis, (e) => classesOf(e).includes('role-axis-label')).flatMap(textsUnder);
      expect(labels).toContain(String(records[0]!.step));
      for (const label of labels) expect(label).toMatch(/^-?[\d,]+$/);
    }
  });
});
