import { atPickedRates, chanceLoss, completed, fmt, judgedRuns, NOT_TRAINED_FRACTION, passIf, sectionFigure, settingOf, splitByTraining, sweepOf } from './criteria';
import { compareTrends, describeSetting, logSlope, NOISE_MARGIN, seedTrendCriterion, settingValues } from './noise-margin';
import type { CellResult, CriterionResult, Preset, PresetScale, PresetSweep } from './preset';
import { cosineSpread, finalLoss, IMAGE_CLASSES, minCos, protocolDataSets, protocolScaledDown, WRN_PROTOCOLS, wrnSweep, type ImageDataName } from './wrn-protocol';

/**
 * Sankararaman et al. (2020), §7 fig. 4 (CIFAR-10) and Sankararaman et al. (2020), appendix A.6 fig. 15 (CIFAR-100): CNN-β-2 with batch norm,
 * skip connections, both or neither, across depth. Either one alone helps deep nets train, but
 * their loss and gradient confusion still worsen with depth; together they keep the min cosine
 * between minibatch gradients high (confusion low) even for very deep nets.
 */

const DEPTH = 'archOptions.depth';
const BN = 'archOptions.batchNorm';
const SKIP = 'archOptions.skip';

/** The four variants, in the paper's legend order. */
const VARIANTS = [
  { label: 'no BN, no skip', batchNorm: false, skip: false },
  { label: 'BN, no skip', batchNorm: true, skip: false },
  { label: 'no BN, skip', batchNorm: false, skip: true },
  { label: 'BN + skip', batchNorm: true, skip: true },
] as const;
type Variant = (typeof VARIANTS)[number];

const GRIDS: Readonly<Record<PresetScale, { readonly depths: readonly number[]; readonly widthFactor: number }>> = {
  smoke: { depths: [10, 22], widthFactor: 1 },
  // Three depths are the fewest a trend needs; 40 would cost as much as 10, 16 and 22 together.
  laptop: { depths: [10, 16, 22], widthFactor: 1 },
  paper: { depths: [16, 22, 28, 34, 40, 52, 76, 100], widthFactor: 2 },
};

function sweeps(scale: PresetScale): Record<string, PresetSweep> {
  const p = WRN_PROTOCOLS[scale];
  const g = GRIDS[scale];
  // `wrn` with skip off is the paper's CNN-β-ℓ; with BN off every conv has a bias.
  return Object.fromEntries(
    protocolDataSets(p).map(({ data, suffix }) => [`depth${suffix}`, wrnSweep(p, data, 'wrn', { depth: Math.min(...g.depths), widthFactor: g.widthFactor }, { [DEPTH]: g.depths, [BN]: [false, true], [SKIP]: [false, true] })]),
  );
}

const ofVariant = (cells: readonly CellResult[], v: Variant) => cells.filter((c) => settingOf(c, BN) === v.batchNorm && settingOf(c, SKIP) === v.skip);

/**
 * Sankararaman et al. (2020), fig. 4: as depth grows, the min cosine of the plain CNN and of each
 * technique alone falls, while BN + skip keeps it "relatively low even for very deep networks".
 * Judged as a trend, not as a maximum at one depth: BN + skip's slope of the min cosine against
 * log β must exceed each other variant's by two standard errors (noise-margin.ts), and each other
 * variant's must be negative by two. BN + skip's own slope is reported: "stays high" is the
 * absence of a fall, which a noise margin cannot confirm. Runs that did not train are left out.
 */
function sweepCriteria(key: string, cells: readonly CellResult[], scale: PresetScale, data: ImageDataName, figureOf: (id: string) => string): CriterionResult[] {
  const on = key === 'depth' ? '' : ` (${key.replace(/^depth-/, '')})`;
  const { trained, notTrained } = splitByTraining(cells, IMAGE_CLASSES[data]);
  const trends = VARIANTS.map((v) => ({ v, settings: settingValues(ofVariant(trained, v), DEPTH, minCos) }));
  const both = trends.find((t) => t.v.batchNorm && t.v.skip)!;
  const untrained = `${notTrained.length} of ${cells.length} runs not trained (final loss ≥ ${fmt(NOT_TRAINED_FRACTION * chanceLoss(IMAGE_CLASSES[data]))}) left out`;
  const describe = (t: (typeof trends)[number]) => {
    if (t.settings.length === 0) return `${t.v.label}: no trained run`;
    const fit = logSlope(t.settings);
    return `${t.v.label}: slope ${fmt(fit.slope)} ± ${fmt(fit.standardError)} (${t.settings.map((s) => `β ${s.x}: ${describeSetting(s.values)}`).join(', ')})`;
  };
  const figure = figureOf('minibatch-min-cosine-vs-depth');
  const out: CriterionResult[] = [];
  for (const other of trends.filter((t) => t !== both)) {
    const c = compareTrends(both.settings, other.settings, 'rises');
    out.push({
      name: `${on === '' ? '' : `${on.trim()}: `}BN + skip's min cosine between minibatch gradients falls less with depth than ${other.v.label}'s`,
      verdict: c.verdict,
      measured: `${both.settings.length > 0 && other.settings.length > 0 ? `slope difference ${fmt(c.difference)} ± ${fmt(c.standardError)} per decade of β${c.why !== undefined ? ` (${c.why})` : ''}; ` : ''}${describe(both)}; ${describe(other)}; ${untrained}`,
      expected: `> 0 by more than ${NOISE_MARGIN} SE`,
      figure,
      runs: judgedRuns([both, other].flatMap((t) => ofVariant(trained, t.v)), [both, other].flatMap((t) => ofVariant(notTrained, t.v))),
    });
  }
  for (const t of trends) {
    const name = `${t.v.label}${on}: the min cosine between minibatch gradients ${t === both ? 'against depth (the paper: stays relatively high; reported, not judged)' : 'falls with depth'}`;
    const c = seedTrendCriterion({ name, cells: ofVariant(trained, t.v), path: DEPTH, read: minCos, direction: 'falls', symbol: 'β', figure, note: `${ofVariant(notTrained, t.v).length} not trained`, notTrained: ofVariant(notTrained, t.v) });
    out.push(t === both ? { ...c, verdict: 'reported', expected: 'stays high' } : c);
  }
  const deepest = Math.max(...cells.map((c) => settingOf(c, DEPTH) as number));
  // The density of a run still near chance is that of its start: the figure draws the trained runs, and its caption counts the rest.
  const spreads = VARIANTS.map((v) => {
    const deep = ofVariant(trained, v).filter((c) => settingOf(c, DEPTH) === deepest);
    return `${v.label}: ${deep.length === 0 ? 'no trained run' : describeSetting(deep.flatMap((c) => cosineSpread(c) ?? []))}`;
  });
  out.push({
    name: `the cosines' spread around 0 (std of the KDE's sample) at β = ${deepest}${on} (reported, not judged)`,
    verdict: 'reported',
    measured: `${spreads.join('; ')}; ${untrained}`,
    expected: 'BN + skip narrowest',
    figure: figureOf('cosine-density'),
    runs: judgedRuns(trained, notTrained),
  });
  const losses = VARIANTS.map((v) => `${v.label}: ${describeSetting(ofVariant(cells, v).filter((c) => settingOf(c, DEPTH) === deepest).flatMap((c) => finalLoss(c) ?? []))}`);
  out.push({
    name: `final training loss at β = ${deepest}${on} (fig. 4a: BN + skip trains deep nets best; reported, not judged)`,
    verdict: 'reported',
    measured: losses.join('; '),
    expected: 'BN + skip lowest',
    figure: figureOf('final-train-loss-vs-depth'),
    // The loss of a run that did not train is the claim's evidence, so every run at the picked rates is shown.
    runs: judgedRuns(cells),
  });
  // Diverged runs are a result at the larger scales (deep nets without BN or skip may not train
  // at all); at smoke scale ten small steps must leave every variant measured.
  const measured = VARIANTS.filter((v) => ofVariant(cells, v).some((c) => settingOf(c, DEPTH) === deepest && minCos(c) !== undefined)).length;
  const complete: CriterionResult = {
    name: `every variant has a min cosine at β = ${deepest}${on} (completed runs per variant: ${VARIANTS.map((v) => `${v.label} ${ofVariant(cells, v).length}`).join(', ')})`,
    verdict: passIf(measured === VARIANTS.length),
    measured: `${measured} of ${VARIANTS.length}`,
    expected: `${VARIANTS.length} of ${VARIANTS.length}`,
  };
  if (scale === 'smoke') {
    // Ten steps from initialization are not the end of training: only the plumbing is judged.
    return [...out.map((c) => (c.verdict === 'reported' ? c : { ...c, name: `${c.name} (ten steps at smoke scale, so reported, not judged)`, verdict: 'reported' as const })), complete];
  }
  out.push({ ...complete, name: `${complete.name} (a diverged variant is a result, so reported, not judged)`, verdict: 'reported' });
  return out;
}

export const bnSkipPreset: Preset = {
  id: 'c5-bn-skip',
  claim:
    'Adding batch norm or skip connections alone to CNN-β-ℓ helps deep nets train, but their loss and gradient confusion still worsen with depth; with both, the min cosine between minibatch gradients falls least as depth grows (confusion stays lowest in very deep nets).',
  source: 'Sankararaman et al. (2020), §7, fig. 4; Sankararaman et al. (2020), appendix A.6, fig. 15',
  reading:
    '“Min cosine (minibatch pairs)” against depth has one line per variant (batch norm and skip connections, each on or off; the legends name them as the criteria do): the BN + skip line should stay on top as the nets get deeper, the others fall. “Final training loss” against depth is fig. 4a. The density figure shows each setting’s cosines at the end of training, of the runs that trained (its caption counts those left out).',
  figures: ['minibatch-min-cosine-vs-depth', 'final-train-loss-vs-depth', 'cosine-density'],
  // The legends name the variants as the criteria and the paper do.
  settingNames: [{ keys: [BN, SKIP], title: 'variant', names: VARIANTS.map((v) => ({ values: [v.batchNorm, v.skip], name: v.label })) }],
  scales: {
    smoke: {
      sweeps: sweeps('smoke'),
      scaledDown: `β ∈ {${GRIDS.smoke.depths.join(', ')}} at ℓ = ${GRIDS.smoke.widthFactor}; ${protocolScaledDown('smoke')}. Ten steps from initialization: only the comparison at the deepest setting is judged (batch norm already separates the variants there).`,
    },
    laptop: {
      sweeps: sweeps('laptop'),
      scaledDown: `β ∈ {${[...GRIDS.laptop.depths].sort((a, b) => a - b).join(', ')}} at ℓ = ${GRIDS.laptop.widthFactor} (the paper: β ∈ {${GRIDS.paper.depths.join(', ')}} at ℓ = 2); ${protocolScaledDown('laptop')}.`,
    },
    paper: { sweeps: sweeps('paper'), scaledDown: `nothing: β ∈ {${GRIDS.paper.depths.join(', ')}} at ℓ = 2, each with and without BN and skip; ${protocolScaledDown('paper')}.` },
  },
  criteria(results, scale): CriterionResult[] {
    return protocolDataSets(WRN_PROTOCOLS[scale]).flatMap(({ data, suffix }) => {
      const key = `depth${suffix}`;
      return sweepCriteria(key, completed(atPickedRates(sweepOf(results, key))), scale, data, (id) => sectionFigure(results, key, id));
    });
  },
};
