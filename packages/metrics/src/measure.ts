import { ConfigError } from '@overparam/core';
import type { MeasureContext, MetricMeasurement } from './metric-definition';
import type { MetricSpec } from './metric-spec';
import { metricDefinition } from './registry';

/**
 * One-shot measurements (`overparam measure`) by the same definitions, names and specs as the
 * training metrics: a metric measures with its own `measure` where it writes more than its record
 * (a Gram, the examples), and otherwise by running its hook once on the model as it is.
 */

function definitionOf(spec: { readonly name: string }) {
  const definition = metricDefinition(spec.name);
  if (definition === undefined) throw new ConfigError('metric', `unknown metric '${spec.name}'`);
  return definition;
}

/** Refuses, before any work, a metric that only has a meaning during training. */
export function checkMeasurable(spec: { readonly name: string }): void {
  const why = definitionOf(spec).measure;
  if (typeof why === 'string') throw new ConfigError('metric', `${spec.name} ${why}`);
}

export async function measureMetric(spec: MetricSpec, ctx: MeasureContext): Promise<MetricMeasurement> {
  checkMeasurable(spec);
  const definition = definitionOf(spec);
  if (typeof definition.measure === 'function') return definition.measure(spec as never, ctx);
  const record = await definition.hook(spec as never).run({ model: ctx.model, data: ctx.data, loss: ctx.loss, rng: ctx.rng, step: 0, epoch: 0, learningRate: 0 });
  return { summary: record ?? {} };
}
