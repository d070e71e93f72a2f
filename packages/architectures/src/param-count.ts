/**
 * Parameter counts from an architecture's sizes alone (its entry's `paramCount`), so a net can be
 * sized without drawing a weight. Each entry's count is checked against the built model's in
 * param-count.test.ts.
 */

/** The weights (and biases) of a chain of dense layers through widths `dims`. */
export function denseChainParams(dims: readonly number[], bias: boolean): number {
  return dims.slice(1).reduce((n, out, i) => n + dims[i]! * out + (bias ? out : 0), 0);
}

/** A k×k convolution from `inC` to `outC` channels, with or without a bias. */
export function convParams(kernel: number, inC: number, outC: number, bias: boolean): number {
  return kernel * kernel * inC * outC + (bias ? outC : 0);
}
