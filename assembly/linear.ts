// The three matrix products of a recurrent step, in the transposed layout the engine keeps (rows of units,
// B columns of sequences, row-major float32). Weight matrices are [rows, G] with G = gates · H columns.
// Each loops over the B columns four lanes at a time, sixteen where the row allows.
import { ld, splat, st } from './math';

@inline function col(g: i32, k: i32, G: i32): usize {
  return (<usize>k * <usize>G + <usize>g) << 2;
}

/** Columns [b0, B) of one output row, four lanes at a time: out row `o` = start + Σ_k W[k, g] x[k, :] + Σ_k U[k, g] h[k, :]. */
@inline function gemmTColumns(o: usize, start: f32, g: i32, G: i32, b0: i32, B: i32, W: usize, x: usize, D: i32, U: usize, h: usize, K: i32): void {
  const row = <usize>B << 2;
  for (let b = b0; b < B; b += 4) {
    const n = min(4, B - b);
    const off = <usize>b << 2;
    let a = splat(start);
    for (let k = 0; k < D; k++) a = f32x4.add(a, f32x4.mul(splat(load<f32>(W + col(g, k, G))), ld(x + <usize>k * row + off, n)));
    for (let k = 0; k < K; k++) a = f32x4.add(a, f32x4.mul(splat(load<f32>(U + col(g, k, G))), ld(h + <usize>k * row + off, n)));
    st(o + off, a, n);
  }
}

/**
 * out[g, :] = bias[g] + Σ_{k<D} W[k, g] x[k, :] + Σ_{k<K} U[k, g] h[k, :] for g in [g0, g1): the gates'
 * pre-activations from the input and the previous state. Row g of `out` is at out + g·B floats. A zero
 * `bias` or `D` leaves that term out. Two rows at a time, sixteen columns at a time: each vector of x and h
 * loaded serves both rows. Every output sums in the same order as one row alone would.
 */
export function gemmT(out: usize, G: i32, g0: i32, g1: i32, B: i32, bias: usize, W: usize, x: usize, D: i32, U: usize, h: usize, K: i32): void {
  const row = <usize>B << 2;
  const wide = B & ~15;
  let g = g0;
  for (; g + 2 <= g1; g += 2) {
    const o = out + <usize>g * row;
    const s0: f32 = bias ? load<f32>(bias + (<usize>g << 2)) : 0;
    const s1: f32 = bias ? load<f32>(bias + (<usize>g << 2), 4) : 0;
    for (let b = 0; b < wide; b += 16) {
      const off = <usize>b << 2;
      let a0 = splat(s0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      let c0 = splat(s1);
      let c1 = c0;
      let c2 = c0;
      let c3 = c0;
      for (let k = 0; k < D; k++) {
        const wp = W + col(g, k, G);
        const w0 = splat(load<f32>(wp));
        const w1 = splat(load<f32>(wp, 4));
        const p = x + <usize>k * row + off;
        const v0 = v128.load(p);
        const v1 = v128.load(p, 16);
        const v2 = v128.load(p, 32);
        const v3 = v128.load(p, 48);
        a0 = f32x4.add(a0, f32x4.mul(w0, v0));
        a1 = f32x4.add(a1, f32x4.mul(w0, v1));
        a2 = f32x4.add(a2, f32x4.mul(w0, v2));
        a3 = f32x4.add(a3, f32x4.mul(w0, v3));
        c0 = f32x4.add(c0, f32x4.mul(w1, v0));
        c1 = f32x4.add(c1, f32x4.mul(w1, v1));
        c2 = f32x4.add(c2, f32x4.mul(w1, v2));
        c3 = f32x4.add(c3, f32x4.mul(w1, v3));
      }
      for (let k = 0; k < K; k++) {
        const up = U + col(g, k, G);
        const w0 = splat(load<f32>(up));
        const w1 = splat(load<f32>(up, 4));
        const p = h + <usize>k * row + off;
        const v0 = v128.load(p);
        const v1 = v128.load(p, 16);
        const v2 = v128.load(p, 32);
        const v3 = v128.load(p, 48);
        a0 = f32x4.add(a0, f32x4.mul(w0, v0));
        a1 = f32x4.add(a1, f32x4.mul(w0, v1));
        a2 = f32x4.add(a2, f32x4.mul(w0, v2));
        a3 = f32x4.add(a3, f32x4.mul(w0, v3));
        c0 = f32x4.add(c0, f32x4.mul(w1, v0));
        c1 = f32x4.add(c1, f32x4.mul(w1, v1));
        c2 = f32x4.add(c2, f32x4.mul(w1, v2));
        c3 = f32x4.add(c3, f32x4.mul(w1, v3));
      }
      v128.store(o + off, a0);
      v128.store(o + off, a1, 16);
      v128.store(o + off, a2, 32);
      v128.store(o + off, a3, 48);
      v128.store(o + row + off, c0);
      v128.store(o + row + off, c1, 16);
      v128.store(o + row + off, c2, 32);
      v128.store(o + row + off, c3, 48);
    }
    gemmTColumns(o, s0, g, G, wide, B, W, x, D, U, h, K);
    gemmTColumns(o + row, s1, g + 1, G, wide, B, W, x, D, U, h, K);
  }
  if (g < g1) gemmTColumns(out + <usize>g * row, bias ? load<f32>(bias + (<usize>g << 2)) : 0, g, G, 0, B, W, x, D, U, h, K);
}

/** Columns [b0, B) of out row k (+)= Σ_{g in [g0, g1)} U[k, g] dz[g, :], four lanes at a time. */
@inline function gemmNColumns(o: usize, k: i32, G: i32, g0: i32, g1: i32, b0: i32, B: i32, U: usize, dz: usize, accumulate: bool): void {
  const row = <usize>B << 2;
  for (let b = b0; b < B; b += 4) {
    const n = min(4, B - b);
    const off = <usize>b << 2;
    let a = accumulate ? ld(o + off, n) : splat(0);
    for (let g = g0; g < g1; g++) a = f32x4.add(a, f32x4.mul(splat(load<f32>(U + col(g, k, G))), ld(dz + <usize>g * row + off, n)));
    st(o + off, a, n);
  }
}

/**
 * out[k, :] (+)= Σ_{g in [g0, g1)} U[k, g] dz[g, :] for k < K: the gradient sent back to the previous state.
 * Row g of `dz` is at dz + g·B floats. Two rows at a time, like gemmT.
 */
export function gemmN(out: usize, K: i32, G: i32, g0: i32, g1: i32, B: i32, U: usize, dz: usize, accumulate: bool): void {
  const row = <usize>B << 2;
  const wide = B & ~15;
  const next = <usize>G << 2;
  let k = 0;
  for (; k + 2 <= K; k += 2) {
    const o = out + <usize>k * row;
    for (let b = 0; b < wide; b += 16) {
      const off = <usize>b << 2;
      const q = o + row + off;
      let a0 = accumulate ? v128.load(o + off) : splat(0);
      let a1 = accumulate ? v128.load(o + off, 16) : splat(0);
      let a2 = accumulate ? v128.load(o + off, 32) : splat(0);
      let a3 = accumulate ? v128.load(o + off, 48) : splat(0);
      let c0 = accumulate ? v128.load(q) : splat(0);
      let c1 = accumulate ? v128.load(q, 16) : splat(0);
      let c2 = accumulate ? v128.load(q, 32) : splat(0);
      let c3 = accumulate ? v128.load(q, 48) : splat(0);
      for (let g = g0; g < g1; g++) {
        const up = U + col(g, k, G);
        const w0 = splat(load<f32>(up));
        const w1 = splat(load<f32>(up + next));
        const p = dz + <usize>g * row + off;
        const v0 = v128.load(p);
        const v1 = v128.load(p, 16);
        const v2 = v128.load(p, 32);
        const v3 = v128.load(p, 48);
        a0 = f32x4.add(a0, f32x4.mul(w0, v0));
        a1 = f32x4.add(a1, f32x4.mul(w0, v1));
        a2 = f32x4.add(a2, f32x4.mul(w0, v2));
        a3 = f32x4.add(a3, f32x4.mul(w0, v3));
        c0 = f32x4.add(c0, f32x4.mul(w1, v0));
        c1 = f32x4.add(c1, f32x4.mul(w1, v1));
        c2 = f32x4.add(c2, f32x4.mul(w1, v2));
        c3 = f32x4.add(c3, f32x4.mul(w1, v3));
      }
      v128.store(o + off, a0);
      v128.store(o + off, a1, 16);
      v128.store(o + off, a2, 32);
      v128.store(o + off, a3, 48);
      v128.store(q, c0);
      v128.store(q, c1, 16);
      v128.store(q, c2, 32);
      v128.store(q, c3, 48);
    }
    gemmNColumns(o, k, G, g0, g1, wide, B, U, dz, accumulate);
    gemmNColumns(o + row, k + 1, G, g0, g1, wide, B, U, dz, accumulate);
  }
  if (k < K) gemmNColumns(out + <usize>k * row, k, G, g0, g1, 0, B, U, dz, accumulate);
}

@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * acc[r, g] += Σ_b a[r, b] dz[g, b] for r < R, g in [g0, g1): a weight gradient, one time step's outer
 * products summed over the batch. `acc` is [R, G].
 */
export function gemmTN(acc: usize, R: i32, G: i32, g0: i32, g1: i32, B: i32, a: usize, dz: usize): void {
  const row = <usize>B << 2;
  for (let r = 0; r < R; r++) {
    const ar = a + <usize>r * row;
    let g = g0;
    for (; g + 4 <= g1; g += 4) {
      const d0 = dz + <usize>g * row;
      let s0 = splat(0);
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      for (let b = 0; b < B; b += 4) {
        const n = min(4, B - b);
        const off = <usize>b << 2;
        const x = ld(ar + off, n);
        s0 = f32x4.add(s0, f32x4.mul(x, ld(d0 + off, n)));
        s1 = f32x4.add(s1, f32x4.mul(x, ld(d0 + row + off, n)));
        s2 = f32x4.add(s2, f32x4.mul(x, ld(d0 + 2 * row + off, n)));
        s3 = f32x4.add(s3, f32x4.mul(x, ld(d0 + 3 * row + off, n)));
      }
      const p = acc + col(g, r, G);
      store<f32>(p, load<f32>(p) + hsum(s0));
      store<f32>(p, load<f32>(p, 4) + hsum(s1), 4);
      store<f32>(p, load<f32>(p, 8) + hsum(s2), 8);
      store<f32>(p, load<f32>(p, 12) + hsum(s3), 12);
    }
    for (; g < g1; g++) {
      const d = dz + <usize>g * row;
      let s = splat(0);
      for (let b = 0; b < B; b += 4) {
        const n = min(4, B - b);
        const off = <usize>b << 2;
        s = f32x4.add(s, f32x4.mul(ld(ar + off, n), ld(d + off, n)));
      }
      const p = acc + col(g, r, G);
      store<f32>(p, load<f32>(p) + hsum(s));
    }
  }
}

/** db[g] += Σ_b dz[g, b] for g < G. */
export function rowSums(db: usize, G: i32, B: i32, dz: usize): void {
  const row = <usize>B << 2;
  for (let g = 0; g < G; g++) {
    const d = dz + <usize>g * row;
    let s = splat(0);
    for (let b = 0; b < B; b += 4) s = f32x4.add(s, ld(d + (<usize>b << 2), min(4, B - b)));
    const p = db + (<usize>g << 2);
    store<f32>(p, load<f32>(p) + hsum(s));
  }
}
