import type { Shape } from '@overparam/core';

/**
 * Whether a data set fits an imported model: its examples must have the model's input shape and
 * its targets one value per unit of the model's flat output. Said once, for a run's `model` (a
 * ConfigError on `model`) and for an import registered as an architecture (a schema issue).
 */

/** The data as far as the check needs it; without a name or task the message says "the data set". */
export interface FitData {
  readonly inputShape: Shape;
  readonly outputDim: number;
  readonly name?: string;
  readonly task?: 'classification' | 'regression';
}

/** What does not fit: the data-shape field it concerns, the problem, and the fix. */
export interface ShapeMisfit {
  readonly field: 'inputShape' | 'outputDim';
  readonly problem: string;
  readonly fix: string;
}

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Why the model `who` (input `inputShape`, output `outputShape`) cannot take `data`, or undefined when it fits. */
export function shapeMisfit(who: string, model: { readonly inputShape: Shape; readonly outputShape: Shape }, data: FitData): ShapeMisfit | undefined {
  const dataName = data.name === undefined ? 'the data set' : `data set ${data.name}`;
  if (shapeText(model.inputShape) !== shapeText(data.inputShape)) {
    const reshape = size(model.inputShape) === size(data.inputShape) ? `; its values fit: start the model with a Reshape to ${shapeText(model.inputShape)} from input ${shapeText(data.inputShape)}` : '';
    return {
      field: 'inputShape',
      problem: `${who} takes inputs of shape ${shapeText(model.inputShape)}, ${dataName} has examples of shape ${shapeText(data.inputShape)}`,
      fix: `give a model whose input is ${shapeText(data.inputShape)}${reshape}`,
    };
  }
  const outputs = size(model.outputShape);
  if (model.outputShape.length !== 1 || outputs !== data.outputDim) {
    const units = model.outputShape.length === 1 ? plural(outputs, 'unit') : `shape ${shapeText(model.outputShape)}`;
    const wants =
      data.task === 'classification' ? `has ${data.outputDim} classes` : data.task === 'regression' ? `has targets of ${plural(data.outputDim, 'value')}` : `needs ${plural(data.outputDim, 'output')}`;
    return { field: 'outputDim', problem: `${who} outputs ${units}, ${dataName} ${wants}`, fix: `give a model whose last layer has ${data.outputDim} units` };
  }
  return undefined;
}
