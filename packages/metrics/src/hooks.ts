import { ConfigError, type Dataset, type Hook } from '@overparam/core';
import type { MetricSpec } from './metric-spec';
import { metricDefinition } from './registry';

/**
 * Every metric as a core training Hook: a name (the `kind` of its metrics.jsonl records), a
 * schedule, and `run`, which measures the model as it is at that step and returns numbers. Each
 * metric builds its own (`src/metrics/<name>.ts`); this file adds what holds for all of them.
 */

function definitionOf(spec: MetricSpec) {
  const definition = metricDefinition(spec.name);
  // Specs come from the registry's own schema, so only a hand-made spec can get here.
  if (definition === undefined) throw new ConfigError('metrics', `unknown metric '${spec.name}'`);
  return definition;
}

/**
 * Skips a call at a step already measured for the same model: a run whose last step is a
 * multiple of `every` would otherwise measure it twice (once on schedule, once at the end).
 */
function oncePerStep(hook: Hook): Hook {
  const lastStep = new WeakMap<object, number>();
  return {
    ...hook,
    run(ctx) {
      if (lastStep.get(ctx.model) === ctx.step) return undefined;
      lastStep.set(ctx.model, ctx.step);
      return hook.run(ctx);
    },
  };
}

export function metricHook(spec: MetricSpec): Hook {
  return oncePerStep(definitionOf(spec).hook(spec));
}

/**
 * What a spec demands of the data set (examples for `n`, two disjoint minibatches, a regression
 * task, …), checked before training starts rather than at the first measurement. The error
 * names the spec's own key (`n`, `pairs`).
 */
export function checkMetricSpec(spec: MetricSpec, data: Dataset): void {
  definitionOf(spec).requirements?.(spec, data);
}

/** `checkMetricSpec` for a run's `metrics` list: the error names the field as `metrics.<i>.<key>`. */
export function checkMetricSpecs(specs: readonly MetricSpec[], data: Dataset): void {
  specs.forEach((spec, i) => {
    try {
      checkMetricSpec(spec, data);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      throw e.renamed(`metrics.${i}.${e.field}`);
    }
  });
}

/** Hooks for a run's `metrics` list (validated with `parseMetricSpecs`); with `data`, sizes are checked too. */
export function metricHooks(specs: readonly MetricSpec[], data?: Dataset): Hook[] {
  if (data !== undefined) checkMetricSpecs(specs, data);
  return specs.map(metricHook);
}
