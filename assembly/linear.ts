// The three matrix products of a recurrent step, in the transposed layout the engine keeps (rows of units,
// B columns of sequences, row-major float32). Weight matrices are [rows, G] with G = gates · H columns.
// Each loops over the B columns four lanes at a time, sixteen where the row allows.
import { ld, splat, st } from './math';

@inline function col(g: i32, k: i32, G: i32): usize {
  return (<usize>k * <usize>G + <usize>g) << 2;
}

/**
 * out[g, :] = bias[g] + Σ_{k<D} W[k, g] x[k, :] + Σ_{k<K} U[k, g] h[k, :] for g in [g0, g1): the gates'
 * pre-activations from the input and the previous state. Row g of `out` is at out + g·B floats. A zero
 * `bias` or `D` leaves that term out.
 */
export function gemmT(out: usize, G: i32, g0: i32, g1: i32, B: i32, bias: usize, W: usize, x: usize, D: i32, U: usize, h: usize, K: i32): void {
  const row = <usize>B << 2;
  for (let g = g0; g < g1; g++) {
    const o = out + <usize>g * row;
    const start: f32 = bias ? load<f32>(bias + (<usize>g << 2)) : 0;
    let b = 0;
    for (; b + 16 <= B; b += 16) {
      const off = <usize>b << 2;
      let a0 = splat(start);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      for (let k = 0; k < D; k++) {
        const w = splat(load<f32>(W + col(g, k, G)));
        const p = x + <usize>k * row + off;
        a0 = f32x4.add(a0, f32x4.mul(w, v128.load(p)));
        a1 = f32x4.add(a1, f32x4.mul(w, v128.load(p, 16)));
        a2 = f32x4.add(a2, f32x4.mul(w, v128.load(p, 32)));
        a3 = f32x4.add(a3, f32x4.mul(w, v128.load(p, 48)));
      }
      for (let k = 0; k < K; k++) {
        const w = splat(load<f32>(U + col(g, k, G)));
        const p = h + <usize>k * row + off;
        a0 = f32x4.add(a0, f32x4.mul(w, v128.load(p)));
        a1 = f32x4.add(a1, f32x4.mul(w, v128.load(p, 16)));
        a2 = f32x4.add(a2, f32x4.mul(w, v128.load(p, 32)));
        a3 = f32x4.add(a3, f32x4.mul(w, v128.load(p, 48)));
      }
      v128.store(o + off, a0);
      v128.store(o + off, a1, 16);
      v128.store(o + off, a2, 32);
      v128.store(o + off, a3, 48);
    }
    for (; b < B; b += 4) {
      const n = min(4, B - b);
      const off = <usize>b << 2;
      let a = splat(start);
      for (let k = 0; k < D; k++) a = f32x4.add(a, f32x4.mul(splat(load<f32>(W + col(g, k, G))), ld(x + <usize>k * row + off, n)));
      for (let k = 0; k < K; k++) a = f32x4.add(a, f32x4.mul(splat(load<f32>(U + col(g, k, G))), ld(h + <usize>k * row + off, n)));
      st(o + off, a, n);
    }
  }
}

/**
 * out[k, :] (+)= Σ_{g in [g0, g1)} U[k, g] dz[g, :] for k < K: the gradient sent back to the previous state.
 * Row g of `dz` is at dz + g·B floats.
 */
export function gemmN(out: usize, K: i32, G: i32, g0: i32, g1: i32, B: i32, U: usize, dz: usize, accumulate: bool): void {
  const row = <usize>B << 2;
  for (let k = 0; k < K; k++) {
    const o = out + <usize>k * row;
    let b = 0;
    for (; b + 16 <= B; b += 16) {
      const off = <usize>b << 2;
      let a0 = accumulate ? v128.load(o + off) : splat(0);
      let a1 = accumulate ? v128.load(o + off, 16) : splat(0);
      let a2 = accumulate ? v128.load(o + off, 32) : splat(0);
      let a3 = accumulate ? v128.load(o + off, 48) : splat(0);
      for (let g = g0; g < g1; g++) {
        const w = splat(load<f32>(U + col(g, k, G)));
        const p = dz + <usize>g * row + off;
        a0 = f32x4.add(a0, f32x4.mul(w, v128.load(p)));
        a1 = f32x4.add(a1, f32x4.mul(w, v128.load(p, 16)));
        a2 = f32x4.add(a2, f32x4.mul(w, v128.load(p, 32)));
        a3 = f32x4.add(a3, f32x4.mul(w, v128.load(p, 48)));
      }
      v128.store(o + off, a0);
      v128.store(o + off, a1, 16);
      v128.store(o + off, a2, 32);
      v128.store(o + off, a3, 48);
    }
    for (; b < B; b += 4) {
      const n = min(4, B - b);
      const off = <usize>b << 2;
      let a = accumulate ? ld(o + off, n) : splat(0);
      for (let g = g0; g < g1; g++) a = f32x4.add(a, f32x4.mul(splat(load<f32>(U + col(g, k, G))), ld(dz + <usize>g * row + off, n)));
      st(o + off, a, n);
    }
  }
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
