// The weight gradients of a layer over a whole sequence, once backward has every step's dz: dU = Σ_t h_{t−1} dz_tᵀ
// (and dW from the inputs, db from dz alone). Summed after the loop over time rather than step by step, as
// products whose inner dimension is (step, sequence), in chunks of CHUNK steps:
// - each chunk's dz ([G, B] a step) is first transposed to [B, G], so that four gradient columns are one vector;
// - tiles of two gradient rows by sixteen columns then sum over the chunk's (step, sequence) pairs in registers,
//   each a broadcast entry of h times a vector of dzᵀ, like the products inside the recurrence (linear.ts).
// Summing along the batch instead, four lanes at a time, needs a horizontal sum for every gradient entry and
// ran at about half the speed of those products.
import { ld, madd, splat, st } from './math';

/** Where a sequence's rows are at step t: `first` at t = 0, then `rest` and on, `stride` bytes apart. */
@inline function at(t: i32, first: usize, rest: usize, stride: usize): usize {
  return t ? rest + <usize>(t - 1) * stride : first;
}

/** The 4 × 4 block of rows p, p + row, p + 2·row, p + 3·row, transposed to rows q, q + next, ... */
@inline function transpose4(p: usize, row: usize, q: usize, next: usize): void {
  const r0 = v128.load(p);
  const r1 = v128.load(p + row);
  const r2 = v128.load(p + 2 * row);
  const r3 = v128.load(p + 3 * row);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(q, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(q + next, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(q + 2 * next, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(q + 3 * next, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

/**
 * dz_t[g, b] for t in [t0, t1), g < G, transposed into dzT in blocks of sixteen columns: block g / 16 holds, for
 * each (step, sequence) pair i = (t − t0)·B + b, the sixteen floats dz_t[16·(g / 16) + j, b], 64 bytes at
 * dzT + ((g / 16)·(t1 − t0)·B + i)·64. A tile reads its block straight through: rows of the whole width G
 * apart (2 KB at G = 512) fell in a few sets of the first-level cache and on a new page every other row.
 * The last block's columns past G are left as they are (tiles read only columns below G).
 */
export function transposeChunk(dzT: usize, dz: usize, dzStride: usize, G: i32, B: i32, t0: i32, t1: i32): void {
  const row = <usize>B << 2;
  const rows = (t1 - t0) * B;
  const G4 = G & ~3;
  const B4 = B & ~3;
  for (let t = t0; t < t1; t++) {
    const from = dz + <usize>t * dzStride;
    const i0 = (t - t0) * B;
    for (let g = 0; g < G4; g += 4) {
      const to = dzT + (<usize>((g >> 4) * rows + i0) << 6) + (<usize>(g & 15) << 2);
      for (let b = 0; b < B4; b += 4) transpose4(from + <usize>g * row + (<usize>b << 2), row, to + (<usize>b << 6), 64);
    }
    // The edges, one entry at a time.
    for (let g = 0; g < G; g++) {
      const to = dzT + (<usize>((g >> 4) * rows + i0) << 6) + (<usize>(g & 15) << 2);
      for (let b = g < G4 ? B4 : 0; b < B; b++) store<f32>(to + (<usize>b << 6), load<f32>(from + <usize>g * row + (<usize>b << 2)));
    }
  }
}

/**
 * Rows r and r + 1 (the second only if `two`) of a gradient, columns [g, g + 4·V) (within one block of sixteen:
 * g is a multiple of 16, or the last columns) with V (1 to 4) a constant where it is inlined:
 * acc[r, :] += Σ_t Σ_b a_t[r, b] dz_t[:, b], from the chunk transposed by transposeChunk. The last vector may be
 * partial: `n` (1 to 4) columns.
 */
@inline function tileW(acc: usize, G: i32, r: i32, two: bool, g: i32, V: i32, n: i32, B: i32, t0: i32, t1: i32, first: usize, rest: usize, stride: usize, dzT: usize): void {
  const row = <usize>B << 2;
  const block = dzT + (<usize>((g >> 4) * (t1 - t0) * B) << 6) + (<usize>(g & 15) << 2);
  const zero = splat(0);
  let a0 = zero;
  let a1 = zero;
  let a2 = zero;
  let a3 = zero;
  let c0 = zero;
  let c1 = zero;
  let c2 = zero;
  let c3 = zero;
  for (let t = t0; t < t1; t++) {
    const x = at(t, first, rest, stride) + <usize>r * row;
    let d = block + (<usize>((t - t0) * B) << 6);
    for (let p = x, end = x + row; p < end; p += 4, d += 64) {
      const w0 = v128.load32_splat(p);
      const w1 = two ? v128.load32_splat(p + row) : zero;
      const v0 = V > 1 || n == 4 ? v128.load(d) : ld(d, n);
      a0 = madd(w0, v0, a0);
      c0 = madd(w1, v0, c0);
      if (V > 1) {
        const v1 = V > 2 || n == 4 ? v128.load(d, 16) : ld(d + 16, n);
        a1 = madd(w0, v1, a1);
        c1 = madd(w1, v1, c1);
      }
      if (V > 2) {
        const v2 = V > 3 || n == 4 ? v128.load(d, 32) : ld(d + 32, n);
        a2 = madd(w0, v2, a2);
        c2 = madd(w1, v2, c2);
      }
      if (V > 3) {
        const v3 = n == 4 ? v128.load(d, 48) : ld(d + 48, n);
        a3 = madd(w0, v3, a3);
        c3 = madd(w1, v3, c3);
      }
    }
  }
  const o = acc + ((<usize>r * <usize>G + <usize>g) << 2);
  add(o, a0, V > 1 ? 4 : n);
  if (V > 1) add(o + 16, a1, V > 2 ? 4 : n);
  if (V > 2) add(o + 32, a2, V > 3 ? 4 : n);
  if (V > 3) add(o + 48, a3, n);
  if (!two) return;
  const q = o + (<usize>G << 2);
  add(q, c0, V > 1 ? 4 : n);
  if (V > 1) add(q + 16, c1, V > 2 ? 4 : n);
  if (V > 2) add(q + 32, c2, V > 3 ? 4 : n);
  if (V > 3) add(q + 48, c3, n);
}

/** The first n (1 to 4) floats at p += v. */
@inline function add(p: usize, v: v128, n: i32): void {
  st(p, f32x4.add(ld(p, n), v), n);
}

/**
 * acc[r, g] += Σ_{t in [t0, t1)} Σ_b a_t[r, b] dz_t[g, b] for r < R, g in [g0, g1), from the chunk transposed by
 * transposeChunk: a weight gradient's share of one chunk. a_t is at(t, first, rest, stride), rows of B floats;
 * `acc` is [R, G].
 */
export function gradientChunk(acc: usize, R: i32, G: i32, g0: i32, g1: i32, B: i32, t0: i32, t1: i32, first: usize, rest: usize, stride: usize, dzT: usize): void {
  const pairs = R & ~1;
  // Whole blocks of sixteen columns, and the columns before and after them.
  const from = min(g1, (g0 + 15) & ~15);
  const wide = max(from, g1 & ~15);
  if (from > g0) edgeChunk(acc, R, G, g0, from - g0, B, t0, t1, first, rest, stride, dzT);
  for (let g = from; g < wide; g += 16) {
    for (let r = 0; r < pairs; r += 2) tileW(acc, G, r, true, g, 4, 4, B, t0, t1, first, rest, stride, dzT);
    if (pairs < R) tileW(acc, G, pairs, false, g, 4, 4, B, t0, t1, first, rest, stride, dzT);
  }
  if (g1 > wide) edgeChunk(acc, R, G, wide, g1 - wide, B, t0, t1, first, rest, stride, dzT);
}

/** `left` (1 to 15) columns from g, all in one block of sixteen: up to four vectors, the last maybe partial. */
function edgeChunk(acc: usize, R: i32, G: i32, g: i32, left: i32, B: i32, t0: i32, t1: i32, first: usize, rest: usize, stride: usize, dzT: usize): void {
  const V = (left + 3) >> 2;
  const n = left - ((V - 1) << 2);
  for (let r = 0; r < R; r++) {
    if (V == 4) tileW(acc, G, r, false, g, 4, n, B, t0, t1, first, rest, stride, dzT);
    else if (V == 3) tileW(acc, G, r, false, g, 3, n, B, t0, t1, first, rest, stride, dzT);
    else if (V == 2) tileW(acc, G, r, false, g, 2, n, B, t0, t1, first, rest, stride, dzT);
    else tileW(acc, G, r, false, g, 1, n, B, t0, t1, first, rest, stride, dzT);
  }
}

@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** db[g] += Σ_t Σ_b dz_t[g, b] for g < G, dz_t at dz + t·dzStride. */
export function rowSumSteps(db: usize, G: i32, B: i32, T: i32, dz: usize, dzStride: usize): void {
  const row = <usize>B << 2;
  for (let g = 0; g < G; g++) {
    let s = splat(0);
    for (let t = 0; t < T; t++) {
      const d = dz + <usize>t * dzStride + <usize>g * row;
      for (let b = 0; b < B; b += 4) s = f32x4.add(s, ld(d + (<usize>b << 2), min(4, B - b)));
    }
    const p = db + (<usize>g << 2);
    store<f32>(p, load<f32>(p) + hsum(s));
  }
}
