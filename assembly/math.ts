// Four-lane float32 helpers for the sequence kernels: loads and stores of the last, partial chunk of a row,
// exp, the logistic sigmoid and tanh. Accurate to a few ulp, like the float32 ops of the tfjs backends.

/** Loads `n` (1..4) floats at `p`; the other lanes are 0. Never reads past the n-th float. */
@inline export function ld(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the first `n` (1..4) lanes of `v` at `p`. */
@inline export function st(p: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

@inline export function splat(x: f32): v128 {
  return f32x4.splat(x);
}

/**
 * a·b + c. Built with relaxed SIMD (the second binary, see esbuild.js) it is `f32x4.relaxed_madd`, a fused
 * multiply-add where the machine has one (rounded once instead of twice); otherwise a multiply and an add.
 */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** The integer nearest below a float lane known to be integral and small (|n| ≤ 127), or anything for NaN. */
@inline function toInt(n: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.relaxed_trunc_f32x4_s(n);
  return i32x4.trunc_sat_f32x4_s(n);
}

/**
 * e^x: x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-6 polynomial for e^r (Cephes' expf), times 2^n. The clamp
 * uses pmin/pmax (one instruction each; min/max must order NaNs and zeros, which costs V8 six); with x first,
 * a NaN still comes through.
 */
@inline export function vexp(x: v128): v128 {
  const c = f32x4.pmin(f32x4.pmax(x, splat(-87.3)), splat(88.3));
  const n = f32x4.nearest(f32x4.mul(c, splat(1.44269504088896341)));
  let r = f32x4.sub(c, f32x4.mul(n, splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, splat(-2.12194440e-4)));
  let y = splat(1.9875691500e-4);
  y = madd(y, r, splat(1.3981999507e-3));
  y = madd(y, r, splat(8.3334519073e-3));
  y = madd(y, r, splat(4.1665795894e-2));
  y = madd(y, r, splat(1.6666665459e-1));
  y = madd(y, r, splat(5.0000001201e-1));
  y = madd(f32x4.mul(y, r), r, f32x4.add(r, splat(1)));
  const scale = i32x4.shl(i32x4.add(toInt(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, scale);
}

/** σ(x) = 1 / (1 + e^−x). */
@inline export function vsigmoid(x: v128): v128 {
  return f32x4.div(splat(1), f32x4.add(splat(1), vexp(f32x4.neg(x))));
}

/**
 * tanh: an odd polynomial near 0 (Cephes' tanhf), where (1 − e)/(1 + e) would lose the relative precision
 * of a small result; elsewhere (1 − e^−2|x|)/(1 + e^−2|x|) with the sign of x.
 */
@inline export function vtanh(x: v128): v128 {
  const a = f32x4.abs(x);
  const e = vexp(f32x4.mul(a, splat(-2)));
  const big = f32x4.div(f32x4.sub(splat(1), e), f32x4.add(splat(1), e));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  const z = f32x4.mul(x, x);
  let p = splat(-5.70498872745e-3);
  p = madd(p, z, splat(2.06390887954e-2));
  p = madd(p, z, splat(-5.37397155531e-2));
  p = madd(p, z, splat(1.33314422036e-1));
  p = madd(p, z, splat(-3.33332819422e-1));
  const small = madd(f32x4.mul(p, z), x, x);
  return v128.bitselect(small, signed, f32x4.lt(a, splat(0.625)));
}

/**
 * x ← σ(x) for `count` floats from p. A pass of its own, two vectors an iteration: each σ is a chain of some
 * twenty dependent operations, and a loop of nothing else lets the processor run several chains at once, where
 * a loop that does a cell's whole step waits on one chain after another (the LSTM's forward step took 3 times
 * as long that way at H = 32).
 */
export function sigmoidRange(p: usize, count: i32): void {
  const end = p + (<usize>count << 2);
  let q = p;
  for (; q + 32 <= end; q += 32) {
    const a = vsigmoid(v128.load(q));
    const b = vsigmoid(v128.load(q, 16));
    v128.store(q, a);
    v128.store(q, b, 16);
  }
  for (; q + 16 <= end; q += 16) v128.store(q, vsigmoid(v128.load(q)));
  const n = <i32>((end - q) >> 2);
  if (n) st(q, vsigmoid(ld(q, n)), n);
}

/** x ← tanh(x) for `count` floats from p, as sigmoidRange. */
export function tanhRange(p: usize, count: i32): void {
  const end = p + (<usize>count << 2);
  let q = p;
  for (; q + 32 <= end; q += 32) {
    const a = vtanh(v128.load(q));
    const b = vtanh(v128.load(q, 16));
    v128.store(q, a);
    v128.store(q, b, 16);
  }
  for (; q + 16 <= end; q += 16) v128.store(q, vtanh(v128.load(q)));
  const n = <i32>((end - q) >> 2);
  if (n) st(q, vtanh(ld(q, n)), n);
}

/** Where `keep` is non-zero, `a`; elsewhere `b`. */
@inline export function select(keep: v128, a: v128, b: v128): v128 {
  return v128.bitselect(a, b, f32x4.ne(keep, splat(0)));
}
