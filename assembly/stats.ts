// The report's gate statistics on the WASM backend, four lanes at a time: what the JavaScript kernel in
// src/core/train/gateStats.ts computes on the CPU backend (the reference), from the activations the forward
// kernels kept. Layout: acts [T, blocks·H, B], gate g of step t at block g; mask [T, B] (1 = a real step).
import { ld } from './math';

@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * out = [3·G·T summary | T forget product | G·T·H sample]: per gate g and step t the mean activation and the
 * shares at or below 0.1 and above 0.9 (the candidate `signed` judged by |a|), over the real entries; the
 * forget gate's product Π_{k>t} f_k (block `forget`, −1: none, left as it is) averaged over the real entries;
 * sample `sample[0]`'s activations (NaN at its padded steps).
 */
export function gateStats(T: i32, H: i32, B: i32, blocks: i32, G: i32, signed: i32, forget: i32, acts: usize, mask: usize, sample: usize, out: usize): void {
  const row = <usize>B << 2;
  const hb = <usize>H * row;
  const samples = out + (<usize>((3 * G + 1) * T) << 2);
  if (forget >= 0) forgetProduct(T, H, B, blocks, forget, acts, mask, out + (<usize>(3 * G * T) << 2), samples);
  const s = <i32>load<f32>(sample);
  const one = f32x4.splat(1);
  const low = f32x4.splat(0.1);
  const high = f32x4.splat(0.9);
  const zero = f32x4.splat(0);
  for (let t = 0; t < T; t++) {
    const m = mask + <usize>t * row;
    let real: f32 = 0;
    for (let b = 0; b < B; b++) real += load<f32>(m + (<usize>b << 2));
    const count = real * <f32>H;
    const sampleReal = load<f32>(m + (<usize>s << 2)) != 0;
    for (let g = 0; g < G; g++) {
      const base = acts + <usize>(t * blocks + g) * hb;
      let sum = zero;
      let lows = zero;
      let highs = zero;
      for (let k = 0; k < H; k++) {
        const r = base + <usize>k * row;
        for (let b = 0; b < B; b += 4) {
          const n = min(4, B - b);
          const off = <usize>b << 2;
          // Lanes past B load as 0 in the mask: not real, so not counted.
          const keep = f32x4.ne(ld(m + off, n), zero);
          const a = ld(r + off, n);
          const level = g == signed ? f32x4.abs(a) : a;
          sum = f32x4.add(sum, v128.and(a, keep));
          lows = f32x4.add(lows, v128.and(v128.and(f32x4.lt(level, low), keep), one));
          highs = f32x4.add(highs, v128.and(v128.and(f32x4.gt(level, high), keep), one));
        }
      }
      store<f32>(out + (<usize>(g * 3 * T + t) << 2), hsum(sum) / count);
      store<f32>(out + (<usize>((g * 3 + 1) * T + t) << 2), hsum(lows) / count);
      store<f32>(out + (<usize>((g * 3 + 2) * T + t) << 2), hsum(highs) / count);
      const column = samples + (<usize>((g * T + t) * H) << 2);
      for (let k = 0; k < H; k++) store<f32>(column + (<usize>k << 2), sampleReal ? load<f32>(base + <usize>k * row + (<usize>s << 2)) : NaN);
    }
  }
}

/**
 * The forget-gate product's mean per step into `means` [T], built backwards in float64 as the reference
 * does (a product of many gates below 1 leaves float32's range), two sequences at a time. `scratch` (at least
 * 16·T bytes, the samples' place, written only afterwards) holds each step's running sums.
 */
function forgetProduct(T: i32, H: i32, B: i32, blocks: i32, forget: i32, acts: usize, mask: usize, means: usize, scratch: usize): void {
  const row = <usize>B << 2;
  const hb = <usize>H * row;
  const tiny = f64x2.splat(1e-30);
  const zero = f64x2.splat(0);
  memory.fill(scratch, 0, <usize>T << 4);
  for (let k = 0; k < H; k++) {
    for (let b = 0; b < B; b += 2) {
      const two = b + 1 < B;
      let product = f64x2.splat(1);
      for (let t = T - 1; t >= 0; t--) {
        const m = mask + <usize>t * row + (<usize>b << 2);
        const f = acts + <usize>(t * blocks + forget) * hb + <usize>k * row + (<usize>b << 2);
        const keep = f64x2.ne(two ? f64x2.promote_low_f32x4(v128.load64_zero(m)) : f64x2.splat(<f64>load<f32>(m)), zero);
        const keep2 = two ? keep : v128.and(keep, i64x2(-1, 0));
        const gate = two ? f64x2.promote_low_f32x4(v128.load64_zero(f)) : f64x2.splat(<f64>load<f32>(f));
        const at = scratch + (<usize>t << 4);
        v128.store(at, f64x2.add(v128.load(at), v128.and(product, keep2)));
        product = v128.bitselect(f64x2.mul(product, f64x2.max(gate, tiny)), product, keep2);
      }
    }
  }
  for (let t = 0; t < T; t++) {
    let real: f64 = 0;
    for (let b = 0; b < B; b++) real += <f64>load<f32>(mask + <usize>t * row + (<usize>b << 2));
    const sums = v128.load(scratch + (<usize>t << 4));
    store<f32>(means + (<usize>t << 2), <f32>((f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1)) / (real * <f64>H)));
  }
}
