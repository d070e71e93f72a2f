import type { Tensor } from './tf';

/**
 * A tensor's values as plain JS data, named: what checkpoints hold (weights, batch-norm
 * statistics, optimizer slots) so they can be written anywhere and read back without a backend.
 */
export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly values: Float32Array | Int32Array;
}

export async function toNamedArray(name: string, tensor: Tensor): Promise<NamedArray> {
  const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
  const data = await tensor.data();
  const values = dtype === 'int32' ? Int32Array.from(data as Int32Array) : Float32Array.from(data as Float32Array);
  return { name, shape: [...tensor.shape], dtype, values };
}
