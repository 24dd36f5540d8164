// The matrix products of a recurrent layer, in the transposed layout the engine keeps (rows of units, B columns
// of sequences, row-major float32). Weight matrices are [rows, G] with G = gates · H columns.
//
// gemmT and gemmN are the products inside the recurrence, one time step each. They work on tiles of two output
// rows by up to sixteen columns (eight accumulators, which with the loaded vectors fill the sixteen vector
// registers of x86-64 without spilling): each vector of states loaded serves both rows, each weight (broadcast
// to four lanes) every column. Pointers step through the rows instead of being recomputed, which halved the
// integer work around each multiply-add. The weight gradients are summed over the whole sequence afterwards
// (gradients.ts).
import { ld, madd, splat, st } from './math';

@inline function col(g: i32, k: i32, G: i32): usize {
  return (<usize>k * <usize>G + <usize>g) << 2;
}

/**
 * The weights of gemmT in panels, one per pair of gate columns g, g + 1 (g even): D + K rows of two floats, W's
 * rows then U's, at panels + (g / 2)·(D + K)·8 bytes. A tile then reads its weights one after the other instead
 * of one per row of U, G floats apart: 2 KB at G = 512, a power of two that put every row of a column in the
 * same few sets of the first-level cache, so that each missed.
 */
export function packWeights(panels: usize, W: usize, D: i32, U: usize, K: i32, G: i32): void {
  const pairs = G >> 1;
  const panel = <usize>(D + K) << 3;
  for (let k = 0; k < D + K; k++) {
    const from = k < D ? W + (<usize>(k * G) << 2) : U + (<usize>((k - D) * G) << 2);
    const to = panels + (<usize>k << 3);
    for (let q = 0; q < pairs; q++) store<u64>(to + <usize>q * panel, load<u64>(from + (<usize>q << 3)));
  }
}

/**
 * Rows o and o + row of the gates' pre-activations, columns [off, off + 4·V) with V (1 to 4) a constant where
 * it is inlined: start + Σ_{k<D} W[k, g] x[k, :] + Σ_{k<K} U[k, g] h[k, :] for g and g + 1, their weights
 * read from their panel `w` (packWeights).
 */
@inline function tileT(o: usize, row: usize, off: usize, V: i32, s0: f32, s1: f32, w: usize, x: usize, D: i32, h: usize, K: i32): void {
  let a0 = splat(s0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  let c0 = splat(s1);
  let c1 = c0;
  let c2 = c0;
  let c3 = c0;
  for (let j = 0; j < 2; j++) {
    const from = j ? h : x;
    for (let p = from + off, end = p + <usize>(j ? K : D) * row; p < end; p += row, w += 8) {
      const w0 = v128.load32_splat(w);
      const w1 = v128.load32_splat(w, 4);
      const v0 = v128.load(p);
      a0 = madd(w0, v0, a0);
      c0 = madd(w1, v0, c0);
      if (V > 1) {
        const v1 = v128.load(p, 16);
        a1 = madd(w0, v1, a1);
        c1 = madd(w1, v1, c1);
      }
      if (V > 2) {
        const v2 = v128.load(p, 32);
        a2 = madd(w0, v2, a2);
        c2 = madd(w1, v2, c2);
      }
      if (V > 3) {
        const v3 = v128.load(p, 48);
        a3 = madd(w0, v3, a3);
        c3 = madd(w1, v3, c3);
      }
    }
  }
  const q = o + row;
  v128.store(o + off, a0);
  v128.store(q + off, c0);
  if (V > 1) {
    v128.store(o + off, a1, 16);
    v128.store(q + off, c1, 16);
  }
  if (V > 2) {
    v128.store(o + off, a2, 32);
    v128.store(q + off, c2, 32);
  }
  if (V > 3) {
    v128.store(o + off, a3, 48);
    v128.store(q + off, c3, 48);
  }
}

/** Columns [b0, B) of one output row, four lanes at a time: out row `o` = start + Σ_k W[k, g] x[k, :] + Σ_k U[k, g] h[k, :]. */
function gemmTColumns(o: usize, start: f32, g: i32, G: i32, b0: i32, B: i32, W: usize, x: usize, D: i32, U: usize, h: usize, K: i32): void {
  const row = <usize>B << 2;
  for (let b = b0; b < B; b += 4) {
    const n = min(4, B - b);
    const off = <usize>b << 2;
    let a = splat(start);
    for (let k = 0; k < D; k++) a = madd(v128.load32_splat(W + col(g, k, G)), ld(x + <usize>k * row + off, n), a);
    for (let k = 0; k < K; k++) a = madd(v128.load32_splat(U + col(g, k, G)), ld(h + <usize>k * row + off, n), a);
    st(o + off, a, n);
  }
}

/**
 * out[g, :] = bias[g] + Σ_{k<D} W[k, g] x[k, :] + Σ_{k<K} U[k, g] h[k, :] for g in [g0, g1) (g0 even): the
 * gates' pre-activations from the input and the previous state. Row g of `out` is at out + g·B floats. A zero
 * `bias` or `D` leaves that term out. Pairs of rows read their weights from `panels` (packWeights); a last row
 * alone reads W and U. Every output sums in the same order as one row alone would.
 */
export function gemmT(out: usize, G: i32, g0: i32, g1: i32, B: i32, bias: usize, W: usize, x: usize, D: i32, U: usize, h: usize, K: i32, panels: usize): void {
  const row = <usize>B << 2;
  const panel = <usize>(D + K) << 3;
  const wide = B & ~15;
  const quads = B & ~3;
  let g = g0;
  for (; g + 2 <= g1; g += 2) {
    const o = out + <usize>g * row;
    const s0: f32 = bias ? load<f32>(bias + (<usize>g << 2)) : 0;
    const s1: f32 = bias ? load<f32>(bias + (<usize>g << 2), 4) : 0;
    const w = panels + <usize>(g >> 1) * panel;
    for (let b = 0; b < wide; b += 16) tileT(o, row, <usize>b << 2, 4, s0, s1, w, x, D, h, K);
    const rest = (quads - wide) >> 2;
    const off = <usize>wide << 2;
    if (rest == 3) tileT(o, row, off, 3, s0, s1, w, x, D, h, K);
    else if (rest == 2) tileT(o, row, off, 2, s0, s1, w, x, D, h, K);
    else if (rest == 1) tileT(o, row, off, 1, s0, s1, w, x, D, h, K);
    if (quads < B) {
      gemmTColumns(o, s0, g, G, quads, B, W, x, D, U, h, K);
      gemmTColumns(o + row, s1, g + 1, G, quads, B, W, x, D, U, h, K);
    }
  }
  if (g < g1) gemmTColumns(out + <usize>g * row, bias ? load<f32>(bias + (<usize>g << 2)) : 0, g, G, 0, B, W, x, D, U, h, K);
}

/**
 * Rows o and o + row of the gradient sent back, columns [off, off + 4·V) with V (1 to 4) a constant where it is
 * inlined: (+)= Σ_{g in [g0, g1)} U[k, g] dz[g, :] for k and k + 1. `u` points at U[k, g0]; `next` is a weight
 * row in bytes.
 */
@inline function tileN(o: usize, row: usize, off: usize, V: i32, accumulate: bool, u: usize, next: usize, dz: usize, g0: i32, g1: i32): void {
  const q = o + row;
  const zero = splat(0);
  let a0 = accumulate ? v128.load(o + off) : zero;
  let c0 = accumulate ? v128.load(q + off) : zero;
  let a1 = zero;
  let a2 = zero;
  let a3 = zero;
  let c1 = zero;
  let c2 = zero;
  let c3 = zero;
  if (V > 1 && accumulate) {
    a1 = v128.load(o + off, 16);
    c1 = v128.load(q + off, 16);
  }
  if (V > 2 && accumulate) {
    a2 = v128.load(o + off, 32);
    c2 = v128.load(q + off, 32);
  }
  if (V > 3 && accumulate) {
    a3 = v128.load(o + off, 48);
    c3 = v128.load(q + off, 48);
  }
  for (let p = dz + <usize>g0 * row + off, end = dz + <usize>g1 * row + off; p < end; p += row, u += 4) {
    const w0 = v128.load32_splat(u);
    const w1 = v128.load32_splat(u + next);
    const v0 = v128.load(p);
    a0 = madd(w0, v0, a0);
    c0 = madd(w1, v0, c0);
    if (V > 1) {
      const v1 = v128.load(p, 16);
      a1 = madd(w0, v1, a1);
      c1 = madd(w1, v1, c1);
    }
    if (V > 2) {
      const v2 = v128.load(p, 32);
      a2 = madd(w0, v2, a2);
      c2 = madd(w1, v2, c2);
    }
    if (V > 3) {
      const v3 = v128.load(p, 48);
      a3 = madd(w0, v3, a3);
      c3 = madd(w1, v3, c3);
    }
  }
  v128.store(o + off, a0);
  v128.store(q + off, c0);
  if (V > 1) {
    v128.store(o + off, a1, 16);
    v128.store(q + off, c1, 16);
  }
  if (V > 2) {
    v128.store(o + off, a2, 32);
    v128.store(q + off, c2, 32);
  }
  if (V > 3) {
    v128.store(o + off, a3, 48);
    v128.store(q + off, c3, 48);
  }
}

/** Columns [b0, B) of out row k (+)= Σ_{g in [g0, g1)} U[k, g] dz[g, :], four lanes at a time. */
function gemmNColumns(o: usize, k: i32, G: i32, g0: i32, g1: i32, b0: i32, B: i32, U: usize, dz: usize, accumulate: bool): void {
  const row = <usize>B << 2;
  for (let b = b0; b < B; b += 4) {
    const n = min(4, B - b);
    const off = <usize>b << 2;
    let a = accumulate ? ld(o + off, n) : splat(0);
    for (let g = g0; g < g1; g++) a = madd(v128.load32_splat(U + col(g, k, G)), ld(dz + <usize>g * row + off, n), a);
    st(o + off, a, n);
  }
}

/**
 * out[k, :] (+)= Σ_{g in [g0, g1)} U[k, g] dz[g, :] for k < K: the gradient sent back to the previous state.
 * Row g of `dz` is at dz + g·B floats. Two rows at a time, like gemmT. The sum over g is split into passes of
 * about 16 KB of dz each, so that every pair of rows k re-reads dz from the first-level cache rather than the
 * second (at H = 128 an LSTM's dz is 64 KB a step, beyond the 32 KB of that cache).
 */
export function gemmN(out: usize, K: i32, G: i32, g0: i32, g1: i32, B: i32, U: usize, dz: usize, accumulate: bool): void {
  const rows = max(16, (4096 / B) & ~3);
  for (let c = g0; c < g1; c += rows) gemmNPass(out, K, G, c, min(g1, c + rows), B, U, dz, accumulate || c > g0);
}

function gemmNPass(out: usize, K: i32, G: i32, g0: i32, g1: i32, B: i32, U: usize, dz: usize, accumulate: bool): void {
  const row = <usize>B << 2;
  const next = <usize>G << 2;
  const wide = B & ~15;
  const quads = B & ~3;
  let k = 0;
  for (; k + 2 <= K; k += 2) {
    const o = out + <usize>k * row;
    const u = U + col(g0, k, G);
    for (let b = 0; b < wide; b += 16) tileN(o, row, <usize>b << 2, 4, accumulate, u, next, dz, g0, g1);
    const rest = (quads - wide) >> 2;
    const off = <usize>wide << 2;
    if (rest == 3) tileN(o, row, off, 3, accumulate, u, next, dz, g0, g1);
    else if (rest == 2) tileN(o, row, off, 2, accumulate, u, next, dz, g0, g1);
    else if (rest == 1) tileN(o, row, off, 1, accumulate, u, next, dz, g0, g1);
    if (quads < B) {
      gemmNColumns(o, k, G, g0, g1, quads, B, U, dz, accumulate);
      gemmNColumns(o + row, k + 1, G, g0, g1, quads, B, U, dz, accumulate);
    }
  }
  if (k < K) gemmNColumns(out + <usize>k * row, k, G, g0, g1, 0, B, U, dz, accumulate);
}
