// The benchmark's measure of this machine's WebAssembly SIMD peak (bench/peak.ts), not part of the kernels:
// tight loops of f32x4 multiply-adds on eight independent accumulators, with no memory traffic, built like the
// kernels with plain SIMD and with relaxed SIMD (esbuild.js writes both into dist/bench-peak.wasm). Each
// iteration does 8 multiply-adds of 4 lanes: 64 FLOP.
import { madd, splat } from './math';

@inline function total(a0: v128, a1: v128, a2: v128, a3: v128, a4: v128, a5: v128, a6: v128, a7: v128): f32 {
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

/**
 * a ← a·m + c on each accumulator: every multiply-add waits for the one before on its accumulator. With m < 1
 * the values settle near c / (1 − m), far from overflow and from subnormal numbers, which x86 runs slowly.
 */
export function chained(n: i32, seed: f32): f32 {
  const m = splat(0.999);
  const c = splat(seed * 1e-3);
  let a0 = splat(seed);
  let a1 = splat(seed + 1);
  let a2 = splat(seed + 2);
  let a3 = splat(seed + 3);
  let a4 = splat(seed + 4);
  let a5 = splat(seed + 5);
  let a6 = splat(seed + 6);
  let a7 = splat(seed + 7);
  for (let i = 0; i < n; i++) {
    a0 = madd(a0, m, c);
    a1 = madd(a1, m, c);
    a2 = madd(a2, m, c);
    a3 = madd(a3, m, c);
    a4 = madd(a4, m, c);
    a5 = madd(a5, m, c);
    a6 = madd(a6, m, c);
    a7 = madd(a7, m, c);
  }
  return total(a0, a1, a2, a3, a4, a5, a6, a7);
}

/**
 * a ← x·y + a, the shape of a matrix product's inner loop: the multiply does not wait for the accumulator,
 * only the add does. y moves by a small step each iteration (one add, not counted), so that no compiler can
 * take the products out of the loop.
 */
export function products(n: i32, seed: f32): f32 {
  const step = splat(1e-7);
  let y = splat(seed * 1e-3);
  const x0 = splat(seed);
  const x1 = splat(seed + 1);
  const x2 = splat(seed + 2);
  const x3 = splat(seed + 3);
  let a0 = splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  let a4 = a0;
  let a5 = a0;
  let a6 = a0;
  let a7 = a0;
  for (let i = 0; i < n; i++) {
    a0 = madd(x0, y, a0);
    a1 = madd(x1, y, a1);
    a2 = madd(x2, y, a2);
    a3 = madd(x3, y, a3);
    a4 = madd(x0, y, a4);
    a5 = madd(x1, y, a5);
    a6 = madd(x2, y, a6);
    a7 = madd(x3, y, a7);
    y = f32x4.add(y, step);
  }
  return total(a0, a1, a2, a3, a4, a5, a6, a7);
}
