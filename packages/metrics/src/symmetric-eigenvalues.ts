/**
 * Eigenvalues of a real symmetric matrix in float64, without eigenvectors: Householder reduction to
 * tridiagonal form (LAPACK's dsytrd: blocked, with dsytd2 for small matrices; on the upper
 * triangle so every inner loop runs along a row-major row), then the implicit QL iteration with
 * Wilkinson shifts (EISPACK's tql1). Both are backward stable, so each eigenvalue is exact for a
 * matrix within ~n·ε·‖A‖ of the input.
 *
 * ml-matrix's EigenvalueDecomposition runs the same pair but always accumulates eigenvectors
 * (tred2/tql2): ~3× the flops, with column-order access. This one does (2/3)·n³ multiply-adds.
 */
import { householderTridiagonal } from './householder-tridiagonal';
import { tridiagonalEigenvalues } from './tridiagonal-ql';

/** Every eigenvalue of the symmetric row-major n×n `values` (not modified), ascending. */
export function symmetricEigenvaluesOf(n: number, values: Float64Array): Float64Array {
  const { d, e } = householderTridiagonal(n, Float64Array.from(values));
  return tridiagonalEigenvalues(d, e).sort();
}
