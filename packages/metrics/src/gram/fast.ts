import { tf, yieldToEventLoop, type Model, type Tensor } from '@overparam/core';
import type { LayerRows, TapHandler, TapInfo } from './handlers';
import { chunkRuns, type GramLayout } from './layout';
import { runChunk, type ChunkTensors, type PassInputs } from './pass';
import type { GramPlan } from './plan';

/** Member-by-member Grams: the total and, when asked, one per tapped layer. */
export interface MemberGrams {
  readonly total: Float64Array;
  readonly layers?: readonly Float64Array[];
}

interface Piece {
  readonly chunk: ChunkTensors;
  /** Rows [lo, hi) of the chunk. */
  readonly lo: number;
  readonly hi: number;
  /** First member of the piece. */
  readonly offset: number;
}

function pieceRows(piece: Piece, layer: number): LayerRows {
  const rows = piece.chunk.layers[layer]!;
  const whole = piece.lo === 0 && piece.hi === piece.chunk.end - piece.chunk.start;
  if (whole) return rows;
  const m = piece.hi - piece.lo;
  return { input: tf.slice(rows.input, piece.lo, m), deltas: rows.deltas.map((d) => tf.slice(d, piece.lo, m)) };
}

function features(handler: TapHandler, info: TapInfo, piece: Piece, layer: number): Tensor[] {
  return tf.tidy(() => handler.features(info, pieceRows(piece, layer)));
}

/** Adds a block at (p, q) and, off the diagonal, its transpose at (q, p). */
function place(targets: Float64Array[], size: number, block: Float64Array, p: Piece, q: Piece): void {
  const mp = p.hi - p.lo;
  const mq = q.hi - q.lo;
  if (p === q && mp === size) {
    // One piece covering every member (the common case): the block is the whole matrix.
    for (const k of targets) for (let i = 0; i < block.length; i++) k[i]! += block[i]!;
    return;
  }
  for (const k of targets) {
    for (let i = 0; i < mp; i++) {
      const row = (p.offset + i) * size + q.offset;
      for (let j = 0; j < mq; j++) k[row + j]! += block[i * mq + j]!;
    }
    if (p === q) continue;
    for (let i = 0; i < mp; i++) for (let j = 0; j < mq; j++) k[(q.offset + j) * size + p.offset + i]! += block[i * mq + j]!;
  }
}

/**
 * One layer's contribution. When every piece's features fit the budget they are formed once;
 * otherwise each pair of pieces forms them again (conv layers with large per-example gradients):
 * memory stays at two pieces' features, at the price of recomputation.
 */
async function layerGram(handler: TapHandler, info: TapInfo, layer: number, pieces: Piece[], targets: Float64Array[], size: number, fitsAll: boolean): Promise<void> {
  // A large Gram takes seconds per layer: let signal handlers (Ctrl-C's "stopping…") and UI events run between layers.
  await yieldToEventLoop();
  if (fitsAll) {
    const all = pieces.map((p) => features(handler, info, p, layer));
    try {
      for (let a = 0; a < pieces.length; a++) for (let b = a; b < pieces.length; b++) place(targets, size, await handler.block(info, all[a]!, all[b]!), pieces[a]!, pieces[b]!);
    } finally {
      for (const f of all) for (const t of f) t.dispose();
    }
    return;
  }
  for (let a = 0; a < pieces.length; a++) {
    await yieldToEventLoop();
    const fa = features(handler, info, pieces[a]!, layer);
    try {
      for (let b = a; b < pieces.length; b++) {
        const fb = b === a ? fa : features(handler, info, pieces[b]!, layer);
        try {
          place(targets, size, await handler.block(info, fa, fb), pieces[a]!, pieces[b]!);
        } finally {
          if (fb !== fa) for (const t of fb) t.dispose();
        }
      }
    } finally {
      for (const t of fa) t.dispose();
    }
  }
}

/** Rows per pass: the budget over what a row keeps alive (×4 for untapped intermediates and gradients). */
export function passRows(plan: GramPlan, replicas: number, budget: number): number {
  return Math.max(1, Math.floor(budget / Math.max(1, 4 * plan.rowActivations * replicas)));
}

export async function fastMemberGrams(model: Model, plan: GramPlan, batch: PassInputs, layout: GramLayout, budget: number, perLayer: boolean, onProgress?: (done: number, total: number) => void): Promise<MemberGrams> {
  const size = layout.rows.length;
  const total = new Float64Array(size * size);
  const layers = perLayer ? plan.taps.map(() => new Float64Array(size * size)) : undefined;
  const chunks: ChunkTensors[] = [];
  try {
    for (const [a, b] of chunkRuns(layout, passRows(plan, layout.replicas, budget))) chunks.push(runChunk(model, plan, batch, layout, a, b));
    for (let l = 0; l < plan.taps.length; l++) {
      const { info, handler } = plan.taps[l]!;
      const perRow = handler.featureSize(info, layout.replicas);
      const maxRows = Math.max(1, Math.floor(budget / (2 * perRow)));
      const pieces: Piece[] = [];
      for (const chunk of chunks) {
        for (let lo = 0; lo < chunk.end - chunk.start; lo += maxRows) {
          pieces.push({ chunk, lo, hi: Math.min(chunk.end - chunk.start, lo + maxRows), offset: chunk.start + lo });
        }
      }
      const targets = layers === undefined ? [total] : [total, layers[l]!];
      await layerGram(handler, info, l, pieces, targets, size, size * perRow <= budget);
      onProgress?.(l + 1, plan.taps.length);
    }
  } finally {
    for (const c of chunks) c.dispose();
  }
  return layers === undefined ? { total } : { total, layers };
}
