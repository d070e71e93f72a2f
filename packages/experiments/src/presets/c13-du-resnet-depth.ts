import { completed, fmt, groupBy, lastValue, mean, settingOf, sweepOf } from './criteria';
import { compareGroups, judgeEffect, meanAndError, MIN_SEEDS } from './noise-margin';
import type { CellResult, CriterionResult, Preset, PresetSweep, Verdict } from './preset';

/**
 * Du et al. (2019) on depth: the width their analysis needs grows like 2^O(H) for the fully
 * connected net but only like poly(H) for their ResNet, and the reason is λ₀ = λ_min(K⁽ᴴ⁾): for the
 * fully connected net it decays fast with the depth H (exponentially for a smooth σ such as
 * softplus, whose correlation map contracts), for the ResNet only polynomially, λ₀ = Ω(poly(1/H))
 * (§5 against §6, Theorem 6.1).
 *
 * Measured here as the paper's proof uses it: λ_min(G⁽ᴴ⁾(0)), the last layer's block of the NTK of
 * a wide net at initialization, an estimate of λ₀ (c12 checks G⁽ᴴ⁾(0) → K⁽ᴴ⁾ as m grows). Every
 * cell also records λ₀ itself from the population recursion of its net (metrics' population Gram;
 * the ResNet's is derived in packages/metrics/src/resnet-gram.ts).
 */
const EXAMPLES = 16;
const INPUT_DIM = 8;
export const duNets = ['du-mlp', 'du-resnet'] as const;
const netNames: Record<(typeof duNets)[number], string> = { 'du-mlp': 'fully connected', 'du-resnet': 'ResNet' };

/**
 * A λ_min(G⁽ᴴ⁾(0)) is resolved when it exceeds 2ε₃₂·λ_max(G⁽ᴴ⁾(0)): the Gram is summed in float64
 * from float32 gradients, whose rounding moves its eigenvalues by about ε₃₂·λ_max (measured: the
 * fully connected net at H = 16, λ₀ ≈ 2e-10, gives λ_min ≈ −0.6 ε₃₂·λ_max). Below that the
 * measurement says only "smaller than float32 can tell".
 */
const RESOLUTION = 2 * 2 ** -23;

function depthSweep(width: number, depths: readonly number[], seeds: readonly number[]): PresetSweep {
  return {
    base: {
      archOptions: { width, activation: 'softplus' },
      // Unit-norm inputs, as the analysis assumes (targets unused: nothing trains).
      data: 'sphere',
      dataOptions: { n: EXAMPLES, d: INPUT_DIM, testN: 1 },
      loss: 'square',
      batchSize: 'full',
      steps: 0,
      metrics: [{ name: 'population-gram', n: EXAMPLES }],
    },
    grid: { arch: duNets, 'archOptions.depth': depths },
    seeds,
  };
}

const read = (field: string) => (c: CellResult) => lastValue(c, 'population-gram', field);
const lambdaMin = read('lambdaMinLast');
const resolved = (c: CellResult) => {
  const min = lambdaMin(c);
  const max = read('lambdaMaxLast')(c);
  return min !== undefined && max !== undefined && min > RESOLUTION * max;
};

/** Cells of one net by seed, each seed's cells by depth. */
function bySeed(cells: readonly CellResult[]): Map<number, Map<number, CellResult>> {
  const out = new Map<number, Map<number, CellResult>>();
  for (const c of cells) {
    const depth = settingOf(c, 'archOptions.depth') as number;
    out.set(c.seed, (out.get(c.seed) ?? new Map<number, CellResult>()).set(depth, c));
  }
  return out;
}

/** The id of the report figure that draws λ_min(G⁽ᴴ⁾(0)) and λ₀ against the depth. */
export const DEPTH_FIGURE = 'population-gram-depth';

function criterion(name: string, verdict: Verdict, measured: string, expected: string): CriterionResult {
  return { name, verdict, measured, expected, figure: DEPTH_FIGURE };
}


export const duResNetDepthPreset: Preset = {
  id: 'c13-du-resnet-depth',
  claim: 'At initialization, λ_min of the last layer’s Gram G⁽ᴴ⁾(0) of a wide net (an estimate of λ₀) decays much faster with the depth H for Du et al.’s fully connected net than for their ResNet, whose λ₀ falls only polynomially in 1/H.',
  source: 'Du et al. (2019), §5 against §6 (Theorem 6.1)',
  reading:
    'The figure plots λ_min(G⁽ᴴ⁾(0)) against the depth H on a log axis for both nets (mean and range over seeds), with λ₀ of the population recursion of each net as a second line (“λ₀” in the legend). The fully connected net (softplus, as the theorem assumes a smooth σ) falls along a straight line on this axis, i.e. exponentially, until it drops below what float32 gradients resolve (2ε₃₂·λ_max, where the points stop); the ResNet falls like H⁻², the (c_res/H)² of its last branch, and stays measurable. With ReLU the fully connected net would decay only polynomially (its correlation map does not contract), which is why softplus is used.',
  figures: [DEPTH_FIGURE],
  scales: {
    smoke: {
      sweeps: { depth: depthSweep(256, [2, 4, 8], [0, 1, 2]) },
      scaledDown: `width m = 256, depths 2–8, n = ${EXAMPLES} unit inputs in d = ${INPUT_DIM}, 3 nets per cell.`,
    },
    laptop: {
      sweeps: { depth: depthSweep(1024, [2, 4, 8, 16, 32], [0, 1, 2]) },
      scaledDown: `width m = 1,024, depths 2–32, n = ${EXAMPLES} unit inputs in d = ${INPUT_DIM}, 3 nets per cell.`,
    },
    paper: {
      sweeps: { depth: depthSweep(4096, [2, 4, 8, 16, 32], [0, 1, 2, 3, 4, 5, 6, 7]) },
      scaledDown: 'Du et al. state no experiment; this is the theorem’s quantity at width 4,096, depths 2–32, 8 nets per cell.',
    },
  },
  criteria(results): CriterionResult[] {
    const cells = completed(sweepOf(results, 'depth').cells);
    const nets = groupBy(cells, 'arch');
    const fc = bySeed(nets.get('du-mlp') ?? []);
    const res = bySeed(nets.get('du-resnet') ?? []);
    const depths = [...new Set(cells.map((c) => settingOf(c, 'archOptions.depth') as number))].sort((a, b) => a - b);
    const shallow = depths[0];
    // The deepest depth at which every net of both kinds is resolved: beyond it a decay is a floor.
    const deepest = depths.filter((h) => [...fc.values(), ...res.values()].every((s) => s.get(h) !== undefined && resolved(s.get(h)!))).at(-1);
    const decays = (net: Map<number, Map<number, CellResult>>) =>
      [...net.values()].flatMap((s) => {
        const a = s.get(shallow!);
        const b = s.get(deepest!);
        return a && b ? [Math.log(lambdaMin(a)!) - Math.log(lambdaMin(b)!)] : [];
      });
    const out: CriterionResult[] = [];
    const seeds = Math.min(fc.size, res.size);
    if (shallow === undefined || deepest === undefined || deepest === shallow) {
      out.push(criterion('λ_min(G⁽ᴴ⁾(0)) falls faster with H for the fully connected net than for the ResNet', 'inconclusive', 'no two depths at which both nets are resolved', 'difference of ln-decays > 2 SE'));
    } else {
      const a = meanAndError(decays(fc));
      const b = meanAndError(decays(res));
      const judged = compareGroups(decays(fc), decays(res), 'rises');
      out.push(
        criterion(
          `λ_min(G⁽ᴴ⁾(0)) falls faster with H for the fully connected net than for the ResNet (ln λ(H = ${shallow}) − ln λ(H = ${deepest}))`,
          judged.verdict,
          `fully connected ${fmt(a.mean)} ± ${fmt(a.standardError)}, ResNet ${fmt(b.mean)} ± ${fmt(b.standardError)} (difference ${fmt(judged.difference)}, 2 SE = ${fmt(2 * judged.standardError)}, ${seeds} seeds)${judged.why !== undefined ? ` — ${judged.why}` : ''}`,
          `difference > 2 SE with ≥ ${MIN_SEEDS} seeds`,
        ),
      );
    }
    const resolvedDepths = (net: Map<number, Map<number, CellResult>>) => depths.filter((h) => [...net.values()].every((s) => s.get(h) !== undefined && resolved(s.get(h)!)));
    out.push(
      criterion(
        'depths at which λ_min(G⁽ᴴ⁾(0)) is above float32 resolution (2ε₃₂·λ_max) for every net',
        'reported',
        `fully connected: ${resolvedDepths(fc).join(', ') || 'none'}; ResNet: ${resolvedDepths(res).join(', ') || 'none'} (of ${depths.join(', ')})`,
        'the fully connected net drops out first',
      ),
    );
    // Polynomial decay of the ResNet: the log–log slope of λ_min against H, per seed.
    const slopes = [...res.values()].flatMap((s) => {
      const points = [...s].filter(([, c]) => resolved(c)).map(([h, c]) => [Math.log(h), Math.log(lambdaMin(c)!)] as const);
      if (points.length < 3) return [];
      const mx = mean(points.map((p) => p[0]));
      const my = mean(points.map((p) => p[1]));
      return [points.reduce((acc, [x, y]) => acc + (x - mx) * (y - my), 0) / points.reduce((acc, [x]) => acc + (x - mx) ** 2, 0)];
    });
    const slope = meanAndError(slopes);
    out.push(
      criterion(
        'the ResNet’s λ_min(G⁽ᴴ⁾(0)) falls only polynomially: log–log slope against H above −3 (its last branch carries (c_res/H)², a slope of −2)',
        slopes.length < MIN_SEEDS ? 'inconclusive' : judgeEffect(slope.mean + 3, slope.standardError, 'rises'),
        `slope ${fmt(slope.mean)} ± ${fmt(slope.standardError)} over ${slopes.length} seeds`,
        '> −3 by 2 SE',
      ),
    );
    // The estimate: the ResNet's λ_min(G⁽ᴴ⁾(0)) against its own population λ₀, depth by depth.
    const ratios = depths.map((h) => {
      const e = meanAndError([...res.values()].flatMap((s) => (s.get(h) ? [read('lambdaRatio')(s.get(h)!) ?? Number.NaN] : [])));
      return { h, mean: e.mean, se: e.standardError };
    });
    const far = ratios.some((r) => Math.abs(r.mean - 1) - 2 * r.se > 0.5);
    const close = ratios.every((r) => Math.abs(r.mean - 1) + 2 * r.se < 0.5);
    out.push(
      criterion(
        'at this width the ResNet’s λ_min(G⁽ᴴ⁾(0)) estimates its λ₀ (population recursion) within 50 % at every depth',
        ratios.length === 0 || seeds < MIN_SEEDS || ratios.some((r) => !Number.isFinite(r.se)) ? 'inconclusive' : close ? 'pass' : far ? 'fail' : 'inconclusive',
        ratios.map((r) => `H = ${r.h}: ${fmt(r.mean)} ± ${fmt(r.se)}`).join(', '),
        '|ratio − 1| + 2 SE < 0.5',
      ),
    );
    const lambda0 = (net: Map<number, Map<number, CellResult>>) => depths.map((h) => `${h}: ${fmt([...net.values()].map((s) => (s.get(h) ? read('lambda0')(s.get(h)!) : undefined)).find((v) => v !== undefined))}`).join(', ');
    out.push(criterion(`λ₀ of the population recursion (seed ${[...fc.keys()][0] ?? 0}'s inputs), by depth`, 'reported', `fully connected ${lambda0(fc)}; ResNet ${lambda0(res)}`, `${netNames['du-mlp']}: exponential decay; ${netNames['du-resnet']}: ∝ H⁻²`));
    return out;
  },
};
