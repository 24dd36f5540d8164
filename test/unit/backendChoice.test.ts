import * as assert from 'assert';
import { candidates, decide, needsChoice, REMEASURE_FACTOR, softwareRenderer, type Probe } from '../../src/shared/backendChoice';
import { coded, STRINGS } from '../../src/shared/strings';
import { isFromWorker } from '../../src/shared/workerProtocol';

const ok = (name: Probe['name'], renderer: string | null = null): Probe => ({ name, problem: null, renderer });

describe('how auto chooses the backend', () => {
  it('recognises software WebGL from the renderer string, and only that', () => {
    assert.strictEqual(softwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)'), 'SwiftShader');
    assert.strictEqual(softwareRenderer('Google SwiftShader'), 'SwiftShader');
    assert.strictEqual(softwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)'), 'llvmpipe');
    assert.strictEqual(softwareRenderer('ANGLE (Mesa, llvmpipe (LLVM 12.0.0, 256 bits), OpenGL 4.5)'), 'llvmpipe');
    assert.strictEqual(softwareRenderer('Microsoft Basic Render Driver'), 'Microsoft Basic Render Driver');
    for (const hardware of ['ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)', 'Apple M1', 'Mesa Intel(R) UHD Graphics 620 (KBL GT2)', 'AMD Radeon Pro 5500M OpenGL Engine']) {
      assert.strictEqual(softwareRenderer(hardware), null, hardware);
    }
    assert.strictEqual(softwareRenderer(null), null);
    assert.strictEqual(softwareRenderer(''), null);
  });

  it('times hardware WebGL against WASM, leaves software WebGL out and says why', () => {
    assert.deepStrictEqual(candidates([ok('webgl', 'Apple M1'), ok('wasm')]), { timed: ['webgl', 'wasm'], notes: [] });
    assert.deepStrictEqual(candidates([ok('webgl', 'Google SwiftShader'), ok('wasm')]), { timed: ['wasm'], notes: [coded('note.softwareWebgl', 'SwiftShader')] });
    // A hidden renderer name is no evidence of software: it is timed like any other.
    assert.deepStrictEqual(candidates([ok('webgl', null), ok('wasm')]).timed, ['webgl', 'wasm']);
  });

  it('takes CPU only when neither WebGL nor WASM can train', () => {
    const noWebgl = { name: 'webgl', problem: coded('note.noFloat32') } as const;
    const noWasm = { name: 'wasm', problem: coded('note.unavailable', 'wasm') } as const;
    assert.deepStrictEqual(candidates([noWebgl, ok('wasm'), ok('cpu')]), { timed: ['wasm'], notes: [coded('note.noFloat32')] });
    assert.deepStrictEqual(candidates([noWebgl, noWasm, ok('cpu')]), { timed: ['cpu'], notes: [coded('note.noFloat32'), coded('note.unavailable', 'wasm')] });
    assert.deepStrictEqual(candidates([noWebgl, noWasm]), { timed: [], notes: [coded('note.noFloat32'), coded('note.unavailable', 'wasm')] });
  });

  it('keeps the fastest and says by how much, whichever order they were timed in', () => {
    const notes = [coded('note.softwareWebgl', 'SwiftShader')];
    const wasmWins = decide([{ name: 'webgl', ms: 198 }, { name: 'wasm', ms: 43 }], notes);
    assert.deepStrictEqual(wasmWins, { backend: 'wasm', notes, reasons: [coded('note.measured', 'WASM', '4.6', 'WEBGL')] });
    const webglWins = decide([{ name: 'wasm', ms: 40 }, { name: 'webgl', ms: 8 }], []);
    assert.deepStrictEqual(webglWins, { backend: 'webgl', notes: [], reasons: [coded('note.measured', 'WEBGL', '5.0', 'WASM')] });
    // The reason reads as a sentence in both languages.
    const [reason] = wasmWins!.reasons;
    assert.strictEqual(STRINGS[reason.code].replace(/\{(\d)\}/g, (_, i: string) => String(reason.args[Number(i)])), 'WASM: 4.6× faster than WEBGL here');
  });

  it('passes over a backend whose timing failed, and gives up only when all did', () => {
    const failed = coded('note.unavailable', 'webgl');
    assert.deepStrictEqual(decide([{ name: 'webgl', problem: failed }, { name: 'wasm', ms: 30 }], []), { backend: 'wasm', notes: [failed], reasons: [] });
    assert.deepStrictEqual(decide([{ name: 'webgl', ms: Number.NaN }, { name: 'wasm', ms: 30 }], [])?.backend, 'wasm');
    assert.strictEqual(decide([{ name: 'webgl', problem: failed }], []), null);
  });

  it('chooses again when the setting changes or the spec grows or shrinks a lot, not for small edits', () => {
    assert.strictEqual(needsChoice(null, null, 1e6), true);
    const auto = { forced: null, cost: 1e6 };
    assert.strictEqual(needsChoice(auto, null, 1e6), false);
    assert.strictEqual(needsChoice(auto, null, 2e6), false);
    assert.strictEqual(needsChoice(auto, null, 0.5e6), false);
    assert.strictEqual(needsChoice(auto, null, REMEASURE_FACTOR * 1e6), true);
    assert.strictEqual(needsChoice(auto, null, 1e6 / REMEASURE_FACTOR), true);
    assert.strictEqual(needsChoice(auto, 'wasm', 1e6), true);
    // A forced backend stays whatever the spec costs.
    const forced = { forced: 'webgl', cost: 1e6 } as const;
    assert.strictEqual(needsChoice(forced, 'webgl', 1e9), false);
    assert.strictEqual(needsChoice(forced, null, 1e6), true);
  });

  it('the worker may say what it is timing and why it chose, and nothing malformed', () => {
    assert.ok(isFromWorker({ type: 'measuring', backends: ['webgl', 'wasm'] }));
    assert.ok(isFromWorker({ type: 'backend', backend: 'wasm', notes: [], reasons: [coded('note.measured', 'WASM', '4.6', 'WEBGL')] }));
    assert.ok(!isFromWorker({ type: 'measuring', backends: ['tpu'] }));
    assert.ok(!isFromWorker({ type: 'measuring', backends: 'wasm' }));
    assert.ok(!isFromWorker({ type: 'backend', backend: 'wasm', notes: [] }));
  });
});
