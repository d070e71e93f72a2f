import { flattenTree, tf } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { determinismReport, outputReport, parameterCountReport, tapCoverage, trainingDeterminism, trainingTensorGrowth, type ModelFactory } from './conformance';
import { batchCouplingReport, runningStatisticsReport } from './conformance-state';
import { modelGradientCheck, type ModelGradientCheckOptions } from './model-gradcheck';

export interface ConformanceOptions {
  /** The active backend's name, for the test titles. */
  readonly backend: string;
  /** Training steps over which `tf.memory().numTensors` must stay flat. Default 100. */
  readonly leakSteps?: number;
  readonly gradient?: ModelGradientCheckOptions;
}

/**
 * Same-value comparisons of float32 outputs computed twice by one backend. Evaluation mode is
 * per-example arithmetic, so a changed batch partner should change nothing; 1e-5 of the output's
 * scale leaves room for a kernel that blocks its sums by batch position, and is still far below
 * the O(1) effect of batch statistics (checked against 1e-2).
 */
const SAME = 1e-5;
const DIFFERENT = 1e-2;

/**
 * The conformance suite of an architecture, as vitest cases: output shapes, parameter counts, tap
 * coverage, determinism, gradients against finite differences, batch-norm modes and running
 * statistics (or their absence), and no tensor growth over training. `build(seed)` returns a new
 * tiny model each call. Run it once per backend (the `test/` projects do).
 */
export function describeArchitectureConformance(label: string, build: ModelFactory, options: ConformanceOptions): void {
  const leakSteps = options.leakSteps ?? 100;
  const withModel = <T>(seed: number, fn: (model: ReturnType<ModelFactory>) => T): T => {
    const model = build(seed);
    try {
      return fn(model);
    } finally {
      model.dispose();
    }
  };

  describe(`${label} conformance (${options.backend})`, () => {
    it('maps a batch to [batch, ...outputShape] with finite values, leaving no tensor behind', () => {
      const before = tf.memory().numTensors;
      const report = withModel(0, (m) => outputReport(m, 3));
      expect(report.shape).toEqual(report.expected);
      expect(report.finite).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('counts parameters as the sum over their shapes', () => {
      const r = withModel(0, parameterCountReport);
      expect(r.paramCount).toBeGreaterThan(0);
      expect(r.paramCount).toBe(r.summed);
      expect(r.trainableParamCount).toBe(r.summedTrainable);
      expect(r.listed).toBe(r.leaves);
      expect(r.uniquePaths).toBe(r.listed);
    });

    it('reports every parameter through a tap, and only parameters', () => {
      const { untapped, unknown } = withModel(0, tapCoverage);
      expect(untapped).toEqual([]);
      expect(unknown).toEqual([]);
    });

    it('gives the same weights and outputs for the same seed, other weights for another seed', () => {
      const r = determinismReport(build);
      expect(r).toEqual({ sameWeights: true, sameEval: true, sameTraining: true, otherSeedDiffers: true });
    });

    it('trains to the same losses and weights from the same seeds', async () => {
      const r = await trainingDeterminism(build, 3);
      expect(r.lossesA).toHaveLength(3);
      expect(r.lossesA.every(Number.isFinite)).toBe(true);
      expect(r.lossesB).toEqual(r.lossesA);
      expect(r.sameWeights).toBe(true);
    });

    it('has autodiff gradients that match float32 central differences of the loss', () => {
      const before = tf.memory().numTensors;
      const r = withModel(1, (m) => modelGradientCheck(m, options.gradient));
      // Tolerance and the choice of ε: see modelGradientCheck (worst seen on the tiny nets: 4e-3).
      expect(r.scale).toBeGreaterThan(0);
      expect(r.failures).toEqual([]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('couples a batch through batch statistics in training mode only (none without state)', () => {
      const stateful = withModel(0, (m) => flattenTree(m.state).length > 0);
      const r = withModel(2, batchCouplingReport);
      const scale = Math.max(r.scale, 1e-6);
      expect(r.evalChange).toBeLessThanOrEqual(SAME * scale);
      if (stateful) {
        expect(r.trainingChange).toBeGreaterThan(DIFFERENT * scale);
        expect(r.modeDifference).toBeGreaterThan(DIFFERENT * scale);
      } else {
        expect(r.trainingChange).toBeLessThanOrEqual(SAME * scale);
        expect(r.modeDifference).toBeLessThanOrEqual(SAME * scale);
      }
    });

    it('changes running statistics only through commitState, all of them, from training mode', () => {
      const before = tf.memory().numTensors;
      const r = runningStatisticsReport(build);
      expect([...r.updatedPaths].sort()).toEqual([...r.statePaths].sort());
      expect(r.evalModeUpdates).toBe(0);
      expect(r.untouchedBeforeCommit).toBe(true);
      expect(r.committedAsWritten).toBe(true);
      expect(r.finite).toBe(true);
      if (r.statePaths.length > 0) {
        expect(r.stateChange).toBeGreaterThan(0);
        expect(r.evalOutputChange).toBeGreaterThan(0);
      }
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`keeps the tensor count flat over ${leakSteps} training steps`, async () => {
      const r = await trainingTensorGrowth(build, leakSteps);
      expect(r.stepsDone).toBe(leakSteps);
      expect(r.growth).toBe(0);
    });
  });
}
