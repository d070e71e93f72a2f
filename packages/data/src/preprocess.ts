import { ShapeError, type Dataset, type Split } from '@overparam/core';

/** Per-channel mean and standard deviation (float64), the channel being the last input dimension. */
export interface ChannelStats {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

function channelsOf(data: Pick<Dataset, 'inputShape'>): number {
  return data.inputShape.length > 1 ? data.inputShape[data.inputShape.length - 1]! : 1;
}

/** Mean and (population) standard deviation of each channel over a split, accumulated in float64. */
export function channelStats(split: Split, channels: number): ChannelStats {
  const mean = new Float64Array(channels);
  const sq = new Float64Array(channels);
  const x = split.x;
  if (x.length % channels !== 0) throw new ShapeError(`${x.length} input values do not divide into ${channels} channels`);
  for (let i = 0; i < x.length; i++) mean[i % channels]! += x[i]!;
  const perChannel = x.length / channels;
  for (let c = 0; c < channels; c++) mean[c]! /= perChannel;
  // Two passes (mean first) rather than E[x²] − E[x]², which cancels badly in float for pixels.
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - mean[i % channels]!;
    sq[i % channels]! += d * d;
  }
  const std = sq.map((s) => Math.sqrt(s / perChannel));
  return { mean, std };
}

function standardizeSplit(split: Split, stats: ChannelStats, into: Float32Array): Split {
  const c = stats.mean.length;
  // A constant channel has std 0: leave it centred rather than dividing by zero.
  const scale = stats.std.map((s) => (s > 0 ? 1 / s : 1));
  const x = split.x;
  for (let i = 0; i < x.length; i++) into[i] = (x[i]! - stats.mean[i % c]!) * scale[i % c]!;
  return { ...split, x: into };
}

/**
 * Subtracts the training split's per-channel mean and divides by its standard deviation, in every
 * split (statistics from the training split only, so validation and test stay unseen). Returns a
 * new data set; the original is left as it was.
 */
export function standardizeChannels(data: Dataset, stats: ChannelStats = channelStats(data.train, channelsOf(data))): Dataset {
  const map = (s: Split | undefined) => (s === undefined ? undefined : standardizeSplit(s, stats, new Float32Array(s.x.length)));
  return withSplits(data, map(data.train)!, map(data.validation), map(data.test), 'standardized per channel with training-split statistics');
}

/**
 * The same, overwriting the inputs: for loaders that have just built the arrays and hold them
 * nowhere else, so that a data set is held in memory once.
 */
export function standardizeChannelsInPlace(data: Dataset): ChannelStats {
  const stats = channelStats(data.train, channelsOf(data));
  for (const s of [data.train, data.validation, data.test]) if (s !== undefined) standardizeSplit(s, stats, s.x);
  return stats;
}

/** The same examples seen as flat vectors (no copy: the row-major layout is already flat). */
export function flattenInputs(data: Dataset): Dataset {
  const size = data.inputShape.reduce((a, b) => a * b, 1);
  return { ...data, inputShape: [size] };
}

/** Class indices → one-hot rows [n, classes] (for the square loss on classification data). */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= classes) throw new ShapeError(`label ${k} at position ${i} is outside 0..${classes - 1}`);
    out[i * classes + k] = 1;
  }
  return out;
}

function withSplits(data: Dataset, train: Split, validation: Split | undefined, test: Split | undefined, note: string): Dataset {
  const { validation: _v, test: _t, ...rest } = data;
  return {
    ...rest,
    train,
    ...(validation === undefined ? {} : { validation }),
    ...(test === undefined ? {} : { test }),
    description: data.description === undefined ? note : `${data.description}; ${note}`,
  };
}
