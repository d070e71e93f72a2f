import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import { endToEndEquivalencePreset } from './c8-end-to-end-equivalence';
import type { CellResult, PresetResults } from './preset';

/** A run whose logged loss is 10·e^(−0.01·t)·(1 + `offset`) at steps 10 … 150. */
function run(id: string, overrides: Record<string, unknown>, offset: number): CellResult {
  return {
    id,
    overrides,
    seed: 0,
    config: parseRunConfig({ arch: 'deep-linear', data: 'lp-regression', loss: 'lp', p: 2, steps: 150 }),
    status: 'completed',
    summary: undefined,
    records: Array.from({ length: 15 }, (_, i) => ({ kind: 'train', step: 10 * (i + 1), epoch: 0, loss: 10 * Math.exp(-0.1 * (i + 1)) * (1 + offset) })),
  };
}

interface Gaps {
  /** The rule's relative gap to the deep nets at η, and at η/2. */
  readonly rule: number;
  readonly halved: number;
  /** Plain gradient descent's (virtual depth 1) gap: the control. */
  readonly control: number;
  /** Width 100 against width 1. */
  readonly width: number;
}

function results(gaps: Gaps): PresetResults {
  const gd: CellResult[] = [];
  const rule: CellResult[] = [];
  const gdHalf: CellResult[] = [];
  const ruleHalf: CellResult[] = [];
  for (const p of [2, 4]) {
    rule.push(run(`rule-p${p}-n1`, { p, 'optimizer.virtualDepth': 1 }, gaps.control));
    for (const depth of [2, 3]) {
      for (const width of [1, 100]) gd.push(run(`gd-p${p}-d${depth}-w${width}`, { p, 'archOptions.depth': depth, 'archOptions.width': width }, width === 100 ? gaps.width : 0));
      rule.push(run(`rule-p${p}-n${depth}`, { p, 'optimizer.virtualDepth': depth }, gaps.rule));
      gdHalf.push(run(`gdh-p${p}-d${depth}`, { p, 'archOptions.depth': depth, 'archOptions.width': 1 }, 0));
      ruleHalf.push(run(`ruleh-p${p}-n${depth}`, { p, 'optimizer.virtualDepth': depth }, gaps.halved));
    }
  }
  return { gd: { key: 'gd', cells: gd }, rule: { key: 'rule', cells: rule }, 'gd-half-lr': { key: 'gd-half-lr', cells: gdHalf }, 'rule-half-lr': { key: 'rule-half-lr', cells: ruleHalf } };
}

const verdicts = (gaps: Gaps) => endToEndEquivalencePreset.criteria(results(gaps), 'smoke').map((c) => c.verdict);
const theorem: Gaps = { rule: 0.05, halved: 0.025, control: 0.5, width: 1e-4 };

describe('c8 criteria (deterministic runs: pass or fail, never inconclusive)', () => {
  it('pass when the rule traces gradient descent within discretization error that halves with η, and width does not matter', () => {
    expect(verdicts(theorem)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });

  it('fail a gap beyond the tolerance, one that does not halve with η (a different preconditioner), a control that matches, and a width effect', () => {
    expect(verdicts({ ...theorem, rule: 0.2, halved: 0.1 })).toEqual(['fail', 'fail', 'pass', 'pass', 'pass']);
    // The same gap at η and η/2: not discretization.
    expect(verdicts({ ...theorem, halved: 0.05 })).toEqual(['pass', 'pass', 'fail', 'pass', 'pass']);
    expect(verdicts({ ...theorem, control: 0.05 })).toEqual(['pass', 'pass', 'pass', 'fail', 'pass']);
    expect(verdicts({ ...theorem, width: 0.02 })).toEqual(['pass', 'pass', 'pass', 'pass', 'fail']);
  });

  it('fail, not pass, when a run is missing', () => {
    const r = results(theorem);
    const missing: PresetResults = { ...r, rule: { key: 'rule', cells: r['rule']!.cells.filter((c) => c.id !== 'rule-p4-n3') } };
    expect(endToEndEquivalencePreset.criteria(missing, 'smoke').map((c) => c.verdict)).toEqual(['pass', 'fail', 'fail', 'pass', 'pass']);
  });
});
