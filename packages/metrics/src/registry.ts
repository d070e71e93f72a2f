import type { MetricDefinition, MetricSchema } from './metric-definition';
import { balancednessMetric } from './metrics/balancedness';
import { confusionMetric } from './metrics/confusion';
import { dataGeometryMetric } from './metrics/data-geometry';
import { fullLossMetric } from './metrics/full-loss';
import { gramMetric } from './metrics/gram';
import { minibatchConfusionMetric } from './metrics/minibatch-confusion';
import { optimalLossMetric } from './metrics/optimal-loss';
import { populationGramMetric } from './metrics/population-gram';
import { spectrumMetric } from './metrics/spectrum';
import { weightMovementMetric } from './metrics/weight-movement';

/**
 * Every metric, one line each. The spec schema (`metricSpecSchema`), the names
 * (`metricHookNames`), the hooks (`metricHooks`), the one-shot measurements (`measureMetric`), the
 * requirement checks (`checkMetricSpecs`) and the README's table all come from this list: a new
 * metric, for `train --metric` and `measure --metric` alike, is one file in `src/metrics/` and one
 * line here.
 */
export const metricDefinitions = [
  confusionMetric,
  minibatchConfusionMetric,
  spectrumMetric,
  weightMovementMetric,
  balancednessMetric,
  optimalLossMetric,
  fullLossMetric,
  dataGeometryMetric,
  populationGramMetric,
  gramMetric,
] as const;

export type MetricName = (typeof metricDefinitions)[number]['name'];

/** The definition of a metric by name, for code that handles any metric alike. */
export function metricDefinition(name: string): MetricDefinition<MetricSchema> | undefined {
  // Each definition's hook takes its own spec; callers pass the spec its schema produced.
  return (metricDefinitions as readonly unknown[] as ReadonlyArray<MetricDefinition<MetricSchema>>).find((d) => d.name === name);
}

/** Whether a checked spec's measurement uses the run's loss. */
export function metricNeedsLoss(spec: { readonly name: string }): boolean {
  const definition = metricDefinition(spec.name);
  if (definition === undefined) return true;
  return typeof definition.needsLoss === 'function' ? definition.needsLoss(spec as never) : definition.needsLoss;
}
