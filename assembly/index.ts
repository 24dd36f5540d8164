// Whole-sequence kernels of the three cells, forward and backward through time, one call per layer.
// The same arithmetic as the composite tfjs ops in src/core/train/cells/ (same gate order, the GRU's reset
// before the recurrent matmul and h = g + z(h_prev − g), the same masking), in float32, four lanes at a time.
//
// Layout (src/core/train/sequence.ts passes byte offsets into the memory): per time step, blocks of [rows, B]
// row-major floats. X [T, D, B] inputs; W [D, G], U [H, G], bias [G] with G = gates · H; h0, c0 [H, B];
// mask [T, B] (1 where the sequence runs, 0 where it is padded; 0 as a pointer: no padding). Across a padded
// step the state is carried unchanged, and backward the gradient of a padded sequence passes straight through.
//
// No static data and no allocation: this module may run in the memory of the tfjs WASM backend.
import { gradientChunk, rowSumSteps, transposeChunk } from './gradients';
import { gemmN, gemmT, packWeights } from './linear';
import { ld, madd, select, sigmoidRange, splat, st, tanhRange, vtanh } from './math';

@inline function block(H: i32, B: i32): usize {
  return <usize>(H * B) << 2;
}

@inline function keepAt(mask: usize, t: i32, b: i32, B: i32, n: i32): v128 {
  return mask ? ld(mask + (<usize>(t * B + b) << 2), n) : splat(1);
}

/**
 * `scratch` rounded up to a cache line (64 bytes; the caller gives 64 bytes more): each row of sixteen columns
 * of the transposed dz is then one line instead of two.
 */
@inline function lineAligned(scratch: usize): usize {
  return (scratch + 63) & ~63;
}

/** Zeroes `bytes` at `p`, or copies them from `from` when it is not 0. */
function start(p: usize, from: usize, bytes: usize): void {
  if (from) memory.copy(p, from, bytes);
  else memory.fill(p, 0, bytes);
}

/**
 * Weight gradients of a whole sequence, once its dZ is known: dU = Σ_t h_{t−1} dz_tᵀ, dW = Σ_t x_t dz_tᵀ,
 * db = Σ_t Σ_b dz_t, in chunks of `chunk` steps whose dz is first transposed into `scratch` (chunk·B·G floats,
 * G rounded up to 16, and a cache line more; gradients.ts).
 */
function weightGradients(dU: usize, dW: usize, db: usize, T: i32, D: i32, H: i32, G: i32, B: i32, X: usize, hs: usize, h0: usize, dZ: usize, scratch: usize, chunk: i32): void {
  const dzT = lineAligned(scratch);
  const hb = block(H, B);
  const xb = block(D, B);
  const zb = block(G, B);
  for (let t0 = 0; t0 < T; t0 += chunk) {
    const t1 = min(T, t0 + chunk);
    transposeChunk(dzT, dZ, zb, G, B, t0, t1);
    gradientChunk(dU, H, G, 0, G, B, t0, t1, h0, hs, hb, dzT);
    if (D) gradientChunk(dW, D, G, 0, G, B, t0, t1, X, X + xb, xb, dzT);
  }
  rowSumSteps(db, G, B, T, dZ, zb);
}

/**
 * LSTM forward. acts [T, 5H, B] keeps i, f, o, g and tanh c per step for backward and the gate views;
 * `actsStride` 0 reuses one [5H, B] block (inference). hs, cs [T, H, B]: the states after each step; hT, cT
 * [H, B]: the last of them.
 */
export function lstmForward(T: i32, D: i32, H: i32, B: i32, X: usize, W: usize, U: usize, bias: usize, h0: usize, c0: usize, mask: usize, hs: usize, cs: usize, acts: usize, actsStride: usize, hT: usize, cT: usize, panels: usize): void {
  const G = 4 * H;
  const hb = block(H, B);
  const xb = block(D, B);
  packWeights(panels, W, D, U, H, G);
  for (let t = 0; t < T; t++) {
    const hp = t ? hs + <usize>(t - 1) * hb : h0;
    const cp = t ? cs + <usize>(t - 1) * hb : c0;
    const hn = hs + <usize>t * hb;
    const cn = cs + <usize>t * hb;
    const a = acts + <usize>t * actsStride;
    gemmT(a, G, 0, G, B, bias, W, X + <usize>t * xb, D, U, hp, H, panels);
    // i, f, o, then g, in passes of their own (see sigmoidRange); c goes through tanh the same way.
    sigmoidRange(a, 3 * H * B);
    tanhRange(a + 3 * hb, H * B);
    for (let k = 0; k < H; k++) {
      for (let b = 0; b < B; b += 4) {
        const n = min(4, B - b);
        const j = <usize>(k * B + b) << 2;
        st(a + 4 * hb + j, madd(ld(a + hb + j, n), ld(cp + j, n), f32x4.mul(ld(a + j, n), ld(a + 3 * hb + j, n))), n);
      }
    }
    tanhRange(a + 4 * hb, H * B);
    for (let k = 0; k < H; k++) {
      for (let b = 0; b < B; b += 4) {
        const n = min(4, B - b);
        const j = <usize>(k * B + b) << 2;
        const cPrev = ld(cp + j, n);
        const c = madd(ld(a + hb + j, n), cPrev, f32x4.mul(ld(a + j, n), ld(a + 3 * hb + j, n)));
        const h = f32x4.mul(ld(a + 2 * hb + j, n), ld(a + 4 * hb + j, n));
        const keep = keepAt(mask, t, b, B, n);
        st(hn + j, select(keep, h, ld(hp + j, n)), n);
        st(cn + j, select(keep, c, cPrev), n);
      }
    }
  }
  memory.copy(hT, hs + <usize>(T - 1) * hb, hb);
  memory.copy(cT, cs + <usize>(T - 1) * hb, hb);
}

/**
 * LSTM backward through time. dHout [T, H, B] (0: none) arrives at each h_t from outside the recurrence;
 * dhFinal, dcFinal (0: none) at the last state. Writes dZ [T, 4H, B], the reported dh [T, H, B], the
 * gradients at the initial state dh0, dc0 [H, B], and dU, dW, db.
 */
export function lstmBackward(
  T: i32, D: i32, H: i32, B: i32, X: usize, U: usize, acts: usize, hs: usize, cs: usize, h0: usize, c0: usize, mask: usize,
  dHout: usize, dhFinal: usize, dcFinal: usize, dZ: usize, dh: usize, dh0: usize, dc0: usize, dU: usize, dW: usize, db: usize,
  scratch: usize, chunk: i32,
): void {
  const G = 4 * H;
  const hb = block(H, B);
  start(dh0, dhFinal, hb);
  start(dc0, dcFinal, hb);
  start(dU, 0, <usize>(H * G) << 2);
  start(dW, 0, <usize>(D * G) << 2);
  start(db, 0, <usize>G << 2);
  for (let t = T - 1; t >= 0; t--) {
    const a = acts + <usize>t * 5 * hb;
    const cp = t ? cs + <usize>(t - 1) * hb : c0;
    const dz = dZ + <usize>t * 4 * hb;
    const dht = dh + <usize>t * hb;
    for (let k = 0; k < H; k++) {
      for (let b = 0; b < B; b += 4) {
        const n = min(4, B - b);
        const j = <usize>(k * B + b) << 2;
        const carried = ld(dh0 + j, n);
        const total = dHout ? f32x4.add(ld(dHout + <usize>t * hb + j, n), carried) : carried;
        const keep = keepAt(mask, t, b, B, n);
        const dhr = mask ? f32x4.mul(total, keep) : total;
        const dcOld = ld(dc0 + j, n);
        const dcIn = mask ? f32x4.mul(dcOld, keep) : dcOld;
        const i = ld(a + j, n);
        const f = ld(a + hb + j, n);
        const o = ld(a + 2 * hb + j, n);
        const g = ld(a + 3 * hb + j, n);
        const tc = ld(a + 4 * hb + j, n);
        const one = splat(1);
        const dc = f32x4.add(dcIn, f32x4.mul(f32x4.mul(dhr, o), f32x4.sub(one, f32x4.mul(tc, tc))));
        st(dz + j, f32x4.mul(f32x4.mul(f32x4.mul(dc, g), i), f32x4.sub(one, i)), n);
        st(dz + hb + j, f32x4.mul(f32x4.mul(f32x4.mul(dc, ld(cp + j, n)), f), f32x4.sub(one, f)), n);
        st(dz + 2 * hb + j, f32x4.mul(f32x4.mul(f32x4.mul(dhr, tc), o), f32x4.sub(one, o)), n);
        st(dz + 3 * hb + j, f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g))), n);
        const dcPrev = f32x4.mul(dc, f);
        st(dc0 + j, mask ? select(keep, dcPrev, dcOld) : dcPrev, n);
        st(dh0 + j, mask ? f32x4.mul(total, f32x4.sub(one, keep)) : splat(0), n);
        st(dht + j, dhr, n);
      }
    }
    gemmN(dh0, H, G, 0, G, B, U, dz, true);
  }
  weightGradients(dU, dW, db, T, D, H, G, B, X, hs, h0, dZ, scratch, chunk);
}

/** GRU forward. acts [T, 4H, B]: z, r, g and r ⊙ h_prev per step (`actsStride` 0: one block, inference). */
export function gruForward(T: i32, D: i32, H: i32, B: i32, X: usize, W: usize, U: usize, bias: usize, h0: usize, mask: usize, hs: usize, acts: usize, actsStride: usize, hT: usize, panels: usize): void {
  const G = 3 * H;
  const hb = block(H, B);
  const xb = block(D, B);
  packWeights(panels, W, D, U, H, G);
  for (let t = 0; t < T; t++) {
    const hp = t ? hs + <usize>(t - 1) * hb : h0;
    const hn = hs + <usize>t * hb;
    const a = acts + <usize>t * actsStride;
    const x = X + <usize>t * xb;
    gemmT(a, G, 0, 2 * H, B, bias, W, x, D, U, hp, H, panels);
    sigmoidRange(a, 2 * H * B);
    for (let k = 0; k < H; k++) {
      for (let b = 0; b < B; b += 4) {
        const n = min(4, B - b);
        const j = <usize>(k * B + b) << 2;
        st(a + 3 * hb + j, f32x4.mul(ld(a + hb + j, n), ld(hp + j, n)), n);
      }
    }
    gemmT(a, G, 2 * H, 3 * H, B, bias, W, x, D, U, a + 3 * hb, H, panels);
    tanhRange(a + 2 * hb, H * B);
    for (let k = 0; k < H; k++) {
      for (let b = 0; b < B; b += 4) {
        const n = min(4, B - b);
        const j = <usize>(k * B + b) << 2;
        const g = ld(a + 2 * hb + j, n);
        const prev = ld(hp + j, n);
        const h = f32x4.add(g, f32x4.mul(ld(a + j, n), f32x4.sub(prev, g)));
        st(hn + j, select(keepAt(mask, t, b, B, n), h, prev), n);
      }
    }
  }
  memory.copy(hT, hs + <usize>(T - 1) * hb, hb);
}

/** GRU backward through time; `drh` is an [H, B] scratch block. Outputs as for the LSTM, without dc. */
export function gruBackward(
  T: i32, D: i32, H: i32, B: i32, X: usize, U: usize, acts: usize, hs: usize, h0: usize, mask: usize,
  dHout: usize, dhFinal: usize, dZ: usize, dh: usize, dh0: usize, dU: usize, dW: usize, db: usize, drh: usize,
  scratch: usize, chunk: i32,
): void {
  const dzT = lineAligned(scratch);
  const G = 3 * H;
  const hb = block(H, B);
  const xb = block(D, B);
  start(dh0, dhFinal, hb);
  start(dU, 0, <usize>(H * G) << 2);
  start(dW, 0, <usize>(D * G) << 2);
  start(db, 0, <usize>G << 2);
  const one = splat(1);
  for (let t = T - 1; t >= 0; t--) {
    const a = acts + <usize>t * 4 * hb;
    const hp = t ? hs + <usize>(t - 1) * hb : h0;
    const dz = dZ + <usize>t * 3 * hb;
    const dht = dh + <usize>t * hb;
    // The candidate's pre-activation gradient; what goes straight back (padding) waits in dh0.
    for (let k = 0; k < H; k++) {
      for (let b = 0; b < B; b += 4) {
        const n = min(4, B - b);
        const j = <usize>(k * B + b) << 2;
        const carried = ld(dh0 + j, n);
        const total = dHout ? f32x4.add(ld(dHout + <usize>t * hb + j, n), carried) : carried;
        const keep = keepAt(mask, t, b, B, n);
        const dhr = mask ? f32x4.mul(total, keep) : total;
        const z = ld(a + j, n);
        const g = ld(a + 2 * hb + j, n);
        st(dz + 2 * hb + j, f32x4.mul(dhr, f32x4.mul(f32x4.sub(one, z), f32x4.sub(one, f32x4.mul(g, g)))), n);
        st(dht + j, dhr, n);
        st(dh0 + j, mask ? f32x4.mul(total, f32x4.sub(one, keep)) : splat(0), n);
      }
    }
    gemmN(drh, H, G, 2 * H, 3 * H, B, U, dz, false);
    for (let k = 0; k < H; k++) {
      for (let b = 0; b < B; b += 4) {
        const n = min(4, B - b);
        const j = <usize>(k * B + b) << 2;
        const dhr = ld(dht + j, n);
        const z = ld(a + j, n);
        const r = ld(a + hb + j, n);
        const g = ld(a + 2 * hb + j, n);
        const prev = ld(hp + j, n);
        const d = ld(drh + j, n);
        st(dz + j, f32x4.mul(dhr, f32x4.mul(f32x4.sub(prev, g), f32x4.mul(z, f32x4.sub(one, z)))), n);
        st(dz + hb + j, f32x4.mul(d, f32x4.mul(prev, f32x4.mul(r, f32x4.sub(one, r)))), n);
        st(dh0 + j, f32x4.add(ld(dh0 + j, n), f32x4.add(f32x4.mul(dhr, z), f32x4.mul(d, r))), n);
      }
    }
    gemmN(dh0, H, G, 0, 2 * H, B, U, dz, true);
  }
  // The candidate's recurrent weights saw r ⊙ h_prev (acts block 3), the gates' h_prev.
  const zb = hb * 3;
  for (let t0 = 0; t0 < T; t0 += chunk) {
    const t1 = min(T, t0 + chunk);
    transposeChunk(dzT, dZ, zb, G, B, t0, t1);
    gradientChunk(dU, H, G, 0, 2 * H, B, t0, t1, h0, hs, hb, dzT);
    gradientChunk(dU, H, G, 2 * H, 3 * H, B, t0, t1, acts + 3 * hb, acts + 7 * hb, 4 * hb, dzT);
    if (D) gradientChunk(dW, D, G, 0, G, B, t0, t1, X, X + xb, xb, dzT);
  }
  rowSumSteps(db, G, B, T, dZ, zb);
}

/** act 0 tanh, 1 relu, 2 linear. */
@inline function activate(z: v128, act: i32): v128 {
  if (act == 0) return vtanh(z);
  if (act == 1) return f32x4.max(z, splat(0));
  return z;
}

/** act'(a) from h = act(a). */
@inline function slope(h: v128, act: i32): v128 {
  if (act == 0) return f32x4.sub(splat(1), f32x4.mul(h, h));
  if (act == 1) return v128.and(f32x4.gt(h, splat(0)), splat(1));
  return splat(1);
}

/** Vanilla RNN forward. acts [T, H, B]: the cell's output per step before padding carries the state. */
export function rnnForward(T: i32, D: i32, H: i32, B: i32, X: usize, W: usize, U: usize, bias: usize, h0: usize, mask: usize, hs: usize, acts: usize, actsStride: usize, act: i32, hT: usize, panels: usize): void {
  const hb = block(H, B);
  const xb = block(D, B);
  packWeights(panels, W, D, U, H, H);
  for (let t = 0; t < T; t++) {
    const hp = t ? hs + <usize>(t - 1) * hb : h0;
    const hn = hs + <usize>t * hb;
    const a = acts + <usize>t * actsStride;
    gemmT(a, H, 0, H, B, bias, W, X + <usize>t * xb, D, U, hp, H, panels);
    if (act == 0) tanhRange(a, H * B);
    for (let k = 0; k < H; k++) {
      for (let b = 0; b < B; b += 4) {
        const n = min(4, B - b);
        const j = <usize>(k * B + b) << 2;
        let h = ld(a + j, n);
        if (act != 0) {
          h = activate(h, act);
          st(a + j, h, n);
        }
        st(hn + j, select(keepAt(mask, t, b, B, n), h, ld(hp + j, n)), n);
      }
    }
  }
  memory.copy(hT, hs + <usize>(T - 1) * hb, hb);
}

export function rnnBackward(
  T: i32, D: i32, H: i32, B: i32, X: usize, U: usize, acts: usize, hs: usize, h0: usize, mask: usize,
  dHout: usize, dhFinal: usize, dZ: usize, dh: usize, dh0: usize, dU: usize, dW: usize, db: usize, act: i32,
  scratch: usize, chunk: i32,
): void {
  const hb = block(H, B);
  start(dh0, dhFinal, hb);
  start(dU, 0, <usize>(H * H) << 2);
  start(dW, 0, <usize>(D * H) << 2);
  start(db, 0, <usize>H << 2);
  for (let t = T - 1; t >= 0; t--) {
    const a = acts + <usize>t * hb;
    const dz = dZ + <usize>t * hb;
    const dht = dh + <usize>t * hb;
    for (let k = 0; k < H; k++) {
      for (let b = 0; b < B; b += 4) {
        const n = min(4, B - b);
        const j = <usize>(k * B + b) << 2;
        const carried = ld(dh0 + j, n);
        const total = dHout ? f32x4.add(ld(dHout + <usize>t * hb + j, n), carried) : carried;
        const keep = keepAt(mask, t, b, B, n);
        const dhr = mask ? f32x4.mul(total, keep) : total;
        st(dz + j, act == 2 ? dhr : f32x4.mul(dhr, slope(ld(a + j, n), act)), n);
        st(dht + j, dhr, n);
        st(dh0 + j, mask ? f32x4.mul(total, f32x4.sub(splat(1), keep)) : splat(0), n);
      }
    }
    gemmN(dh0, H, H, 0, H, B, U, dz, true);
  }
  weightGradients(dU, dW, db, T, D, H, H, B, X, hs, h0, dZ, scratch, chunk);
}
export { gateStats } from './stats';
