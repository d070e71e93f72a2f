import { ARORA_EXPONENTS, ARORA_INIT_STD, GAS_SENSOR_ETHANOL, lossLabelOf, standIn } from './arora-regression';
import { completed, fmt, lastValue, maxRelativeGap, settingOf, sweepOf, passIf } from './criteria';
import type { CellResult, CriterionResult, Preset, PresetScale, PresetSweep } from './preset';

/**
 * Arora et al. (2018), fig. 2: full-batch gradient descent on depth-2 and depth-3 linear nets (hidden width 1
 * and 100) against a single layer trained with the end-to-end rule (eq. 12, N = 2, 3), under ℓ2
 * and ℓ4 losses. Theorem 1 says the rule is what gradient descent does to W_e on a balanced net as
 * η → 0, whatever the width, so the loss curves coincide.
 *
 * Same start: both sides use the balanced init (eq. 7), whose end-to-end draw for one seed is the
 * same matrix at every depth and width (a single output makes W_e rank one, so nothing is
 * truncated), and the single layer's balanced init is that draw itself. The paper started from
 * i.i.d. N(0, 0.01²) factors, which are balanced only approximately; that init is run too, for
 * the width comparison, at laptop and paper scale.
 *
 * Tolerance: one gradient step on the factors moves W_e by the rule's first-order term plus O(η²)
 * products of gradients, and unbalances the net by O(η²); over a horizon ηT these add up to a gap
 * of order η·ηT, with a constant set by ‖∇L‖ and ‖W_e‖ (the data's). The preset measures the
 * constant instead of bounding it: each comparison runs again at η/2 over the same horizon, and the
 * gap must halve (first order in η: discretization, not a different preconditioner). The gap
 * criterion then asks for < 0.1, twice the largest gap the smoke scale measures (0.046: ℓ4, N = 3);
 * plain gradient descent on the single layer from the same W_e is the control, 0.37–2.2 away.
 *
 * Pass or fail, never inconclusive: every run here is deterministic (fixed data, one seed, the
 * balanced init a function of it), so there is no seed-to-seed noise to weigh. The margin of each
 * check is its tolerance: discretization error of a finite η, measured by halving η, for the rule
 * against gradient descent; float32 rounding for width 1 against width 100.
 */
const DEPTHS = [2, 3] as const;
const WIDTHS = [1, 100] as const;

/** The largest relative loss gap at which two curves count as the same (see the tolerance above). */
const SAME_CURVE = 0.1;
/**
 * Width 1 against width 100 from the same balanced W_e: identical in exact arithmetic (a rank-one
 * balanced chain stays rank one along the same directions), float32 apart. A step's relative
 * rounding is ~√100·6e-8 ≈ 6e-7; over 3,000–10,000 contracting steps it stays far below 1e-2.
 */
const SAME_WIDTH = 0.01;
/** Halving η must scale the gap by 0.5 ± this (first order; second-order terms shift it a little). */
const HALVING_SLACK = 0.15;
/** Plain GD without the preconditioner must be at least this far off, or the gap criterion could not fail. */
const CONTROL_GAP = 0.2;

interface ScaleSetup {
  readonly data: Readonly<Record<string, unknown>>;
  readonly lr: number;
  readonly steps: number;
  readonly logEvery: number;
  /** Std of the balanced end-to-end draw (and of the i.i.d. factors of the near-zero runs). */
  readonly initStd: number;
  /** Also run the paper's i.i.d. near-zero init at both widths (reported, not judged). */
  readonly nearZero: boolean;
  /** The paper's data has an optimum above 0: record it so the report can offset the curves. */
  readonly optimum: boolean;
}

function base(setup: ScaleSetup, halved: boolean, extra: Record<string, unknown>): Record<string, unknown> {
  const factor = halved ? 2 : 1;
  return {
    arch: 'deep-linear',
    ...setup.data,
    loss: 'lp',
    batchSize: 'full',
    // Halving η doubles the steps, so both runs cover the same horizon ηT and log at the same ηt.
    lr: setup.lr / factor,
    steps: setup.steps * factor,
    logEvery: setup.logEvery * factor,
    ...(setup.optimum ? { metrics: [{ name: 'optimal-loss' }] } : {}),
    ...extra,
  };
}

/** Gradient descent on deep linear nets from the balanced init (or the paper's i.i.d. one). */
function gradientDescent(setup: ScaleSetup, options: { halved: boolean; widths: readonly number[]; init: 'balanced' | 'near-zero' }): PresetSweep {
  return {
    base: base(setup, options.halved, { archOptions: { init: options.init, initStd: setup.initStd } }),
    grid: { p: [...ARORA_EXPONENTS], 'archOptions.depth': [...DEPTHS], 'archOptions.width': [...options.widths] },
    seeds: [0],
  };
}

/** The end-to-end rule on one matrix started at the deep nets' W_e; virtual depth 1 is plain gradient descent, the control. */
function endToEndRule(setup: ScaleSetup, options: { halved: boolean; depths: readonly number[] }): PresetSweep {
  return {
    base: base(setup, options.halved, { archOptions: { depth: 1, init: 'balanced', initStd: setup.initStd }, optimizer: { name: 'end-to-end', virtualDepth: 1 } }),
    grid: { p: [...ARORA_EXPONENTS], 'optimizer.virtualDepth': [...options.depths] },
    seeds: [0],
  };
}

function sweeps(setup: ScaleSetup): Record<string, PresetSweep> {
  return {
    gd: gradientDescent(setup, { halved: false, widths: WIDTHS, init: 'balanced' }),
    rule: endToEndRule(setup, { halved: false, depths: [1, ...DEPTHS] }),
    'gd-half-lr': gradientDescent(setup, { halved: true, widths: [1], init: 'balanced' }),
    'rule-half-lr': endToEndRule(setup, { halved: true, depths: DEPTHS }),
    ...(setup.nearZero ? { 'near-zero': gradientDescent(setup, { halved: false, widths: WIDTHS, init: 'near-zero' }) } : {}),
  };
}

const SMOKE: ScaleSetup = {
  data: standIn({ n: 256, d: 16, inputCondition: 10, targetCondition: 10 }),
  lr: 0.01,
  steps: 150,
  logEvery: 10,
  // 0.1 rather than 0.01: 150 steps must carry the deep nets away from the saddle at W_e = 0.
  initStd: 0.1,
  nearZero: false,
  optimum: false,
};
// Half the paper's rate: on the stand-in the ℓ4 loss first falls 113 → 15 within ~50 steps, and at
// η = 1e-3 the depth-3 gap peaks there at 0.16 (discretization: it halves with η, see the halving
// criterion); at 5e-4 every gap is below 0.081. Twice the steps keep the horizon ηT at 1.5.
const LAPTOP: ScaleSetup = { data: standIn(), lr: 5e-4, steps: 3000, logEvery: 50, initStd: ARORA_INIT_STD, nearZero: true, optimum: false };
const PAPER: ScaleSetup = { data: GAS_SENSOR_ETHANOL, lr: 1e-3, steps: 10000, logEvery: 50, initStd: ARORA_INIT_STD, nearZero: true, optimum: true };

function find(cells: readonly CellResult[], settings: Readonly<Record<string, unknown>>): CellResult | undefined {
  return completed(cells).find((c) => Object.entries(settings).every(([path, value]) => settingOf(c, path) === value));
}

/** The rule's (or a second net's) loss curve against a deep net's, relative to the latter. */
function gapOf(a: CellResult | undefined, b: CellResult | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : maxRelativeGap(a, b, 'train', 'loss');
}

const listed = (entries: ReadonlyArray<[string, number | undefined]>) => entries.map(([label, v]) => `${label}: ${fmt(v)}`).join(', ');
/** Each sweep's training-loss figure (the report draws one section per sweep). */
const FIGURES = { gd: 'gd-training-loss', rule: 'rule-training-loss', halved: 'gd-half-lr-training-loss', nearZero: 'near-zero-training-loss' } as const;
const allBelow = (values: ReadonlyArray<number | undefined>, bound: number) => values.length > 0 && values.every((v) => v !== undefined && v < bound);

export const endToEndEquivalencePreset: Preset = {
  id: 'c8-end-to-end-equivalence',
  claim:
    'Gradient descent on a balanced depth-2 or depth-3 linear net and the end-to-end update rule on a single layer from the same end-to-end matrix trace the same loss curve under ℓ2 and ℓ4 losses, and the hidden width (1 or 100) has a negligible effect.',
  source: 'Arora et al. (2018), fig. 2, §8, Theorem 1, eqs. 7 and 12, appendix C.1',
  reading:
    'Each sweep has its own section. `gd`: gradient descent on deep linear nets by loss exponent p, depth and hidden width; `rule`: the single layer trained with the end-to-end rule for virtual depth N (N = 1 is plain gradient descent, the control). Matching settings (same p, depth = N) should lie on top of each other, width 1 on width 100, while N = 1 runs apart. The `-half-lr` sweeps repeat the comparison at half the learning rate over the same horizon: their gap should be half as large. `near-zero` (laptop, paper) uses the paper’s i.i.d. init at both widths. Losses are on a log axis; on the stand-in the optimum is 0, so the curve is the loss minus the optimum.',
  figures: ['training-loss', 'training-loss-above-optimum'],
  scales: {
    smoke: {
      sweeps: sweeps(SMOKE),
      scaledDown: 'the lp-regression stand-in (not the gas-sensor data) at 256 × 16 with condition numbers 10; balanced init with end-to-end std 0.1; 150 steps at lr 0.01 (300 at 0.005); no near-zero-init runs.',
    },
    laptop: {
      sweeps: sweeps(LAPTOP),
      scaledDown: 'the lp-regression stand-in at the gas-sensor task’s size (2,565 × 128), not the UCI data, which cannot be downloaded here; lr 5e-4, half the paper’s 1e-3 (the stand-in’s first steep ℓ4 drop needs the smaller step for the depth-3 curves to stay within 0.1 of the rule), 3,000 steps (6,000 at lr 2.5e-4), the same horizon ηT = 1.5.',
    },
    paper: {
      sweeps: sweeps(PAPER),
      scaledDown:
        'the UCI gas-sensor Ethanol task (pass its directory with --set dataDir=…), lr 1e-3 as in the paper, 10,000 steps (the paper does not state its horizon); balanced init with end-to-end std 0.01 so the rule starts at the deep nets’ W_e, and the paper’s i.i.d. std-0.01 init for the width comparison.',
    },
  },
  criteria(results, scale: PresetScale): CriterionResult[] {
    const gd = sweepOf(results, 'gd').cells;
    const rule = sweepOf(results, 'rule').cells;
    const gdHalf = sweepOf(results, 'gd-half-lr').cells;
    const ruleHalf = sweepOf(results, 'rule-half-lr').cells;
    const out: CriterionResult[] = [];
    for (const p of ARORA_EXPONENTS) {
      const gaps: Array<[string, number | undefined]> = DEPTHS.flatMap((depth) =>
        WIDTHS.map((width): [string, number | undefined] => [
          `N=${depth} width ${width}`,
          gapOf(find(rule, { p, 'optimizer.virtualDepth': depth }), find(gd, { p, 'archOptions.depth': depth, 'archOptions.width': width })),
        ]),
      );
      out.push({
        name: `${lossLabelOf(p)}: gradient descent on balanced depth-N nets and the end-to-end rule (N = ${DEPTHS.join(', ')}) from the same W_e trace the same loss curve`,
        verdict: passIf(allBelow(gaps.map(([, v]) => v), SAME_CURVE)),
        measured: `max relative loss gap ${listed(gaps)}`,
        expected: `< ${SAME_CURVE} for every depth and width`,
        figure: FIGURES.gd,
      });
    }
    const ratios: Array<[string, number | undefined]> = ARORA_EXPONENTS.flatMap((p) =>
      DEPTHS.map((depth): [string, number | undefined] => {
        const full = gapOf(find(rule, { p, 'optimizer.virtualDepth': depth }), find(gd, { p, 'archOptions.depth': depth, 'archOptions.width': 1 }));
        const half = gapOf(find(ruleHalf, { p, 'optimizer.virtualDepth': depth }), find(gdHalf, { p, 'archOptions.depth': depth, 'archOptions.width': 1 }));
        return [`${lossLabelOf(p)} N=${depth}`, full === undefined || half === undefined || full === 0 ? undefined : half / full];
      }),
    );
    out.push({
      name: 'the gap is discretization error of the rule’s η → 0 limit: halving η over the same horizon halves it',
      verdict: passIf(ratios.every(([, r]) => r !== undefined && Math.abs(r - 0.5) <= HALVING_SLACK)),
      measured: `gap at η/2 ÷ gap at η: ${listed(ratios)}`,
      expected: `0.5 ± ${HALVING_SLACK}`,
      figure: FIGURES.halved,
    });
    const controls: Array<[string, number | undefined]> = ARORA_EXPONENTS.flatMap((p) =>
      DEPTHS.map((depth): [string, number | undefined] => [
        `${lossLabelOf(p)} N=${depth}`,
        gapOf(find(rule, { p, 'optimizer.virtualDepth': 1 }), find(gd, { p, 'archOptions.depth': depth, 'archOptions.width': 1 })),
      ]),
    );
    out.push({
      name: 'control: plain gradient descent on the single layer from the same W_e does not trace the deep nets’ curves (so the gap criterion can fail)',
      verdict: passIf(controls.every(([, v]) => v !== undefined && v > CONTROL_GAP)),
      measured: `max relative loss gap ${listed(controls)}`,
      expected: `> ${CONTROL_GAP}`,
      figure: FIGURES.rule,
    });
    const widthGaps: Array<[string, number | undefined]> = ARORA_EXPONENTS.flatMap((p) =>
      DEPTHS.map((depth): [string, number | undefined] => [
        `${lossLabelOf(p)} N=${depth}`,
        gapOf(find(gd, { p, 'archOptions.depth': depth, 'archOptions.width': 100 }), find(gd, { p, 'archOptions.depth': depth, 'archOptions.width': 1 })),
      ]),
    );
    out.push({
      name: 'width has a negligible effect: from the same balanced W_e, hidden width 100 traces width 1’s loss curve',
      verdict: passIf(allBelow(widthGaps.map(([, v]) => v), SAME_WIDTH)),
      measured: `max relative loss gap ${listed(widthGaps)}`,
      expected: `< ${SAME_WIDTH} (float32 rounding)`,
      figure: FIGURES.gd,
    });
    if (scale !== 'smoke') {
      const nearZero = sweepOf(results, 'near-zero').cells;
      const rows = ARORA_EXPONENTS.flatMap((p) =>
        DEPTHS.map((depth) => {
          const narrow = find(nearZero, { p, 'archOptions.depth': depth, 'archOptions.width': 1 });
          const wide = find(nearZero, { p, 'archOptions.depth': depth, 'archOptions.width': 100 });
          const final = (c: CellResult | undefined) => (c === undefined ? undefined : lastValue(c, 'train', 'loss'));
          return `${lossLabelOf(p)} N=${depth}: gap ${fmt(gapOf(wide, narrow))}, final loss ${fmt(final(narrow))} (width 1) vs ${fmt(final(wide))} (width 100)`;
        }),
      );
      // Not judged: i.i.d. factors are only approximately balanced, and a width-1 chain of std-0.01
      // scalars starts far closer to the saddle at 0 than a width-100 one, so how long it lingers
      // there depends on the data and the rate; the paper reports similar curves on its data.
      out.push({ name: 'with the paper’s i.i.d. N(0, 0.01²) init: hidden width 1 against 100 (reported, not judged)', verdict: 'reported', measured: rows.join('; '), expected: 'similar curves (Arora et al. (2018), fig. 2)', figure: FIGURES.nearZero });
    }
    return out;
  },
};
