import * as assert from 'assert';
import { gatesOf, layoutCell } from '../../src/core/diagram/cellLayout';
import { layoutUnrolled, visibleSteps } from '../../src/core/diagram/unrolledLayout';
import { STRINGS } from '../../src/shared/strings';
import { spec } from '../support/specs';

describe('cell layout', () => {
  it('draws the gates each cell really has', () => {
    assert.deepStrictEqual(gatesOf('lstm'), ['forget', 'input', 'candidate', 'output']);
    assert.deepStrictEqual(gatesOf('gru'), ['reset', 'update', 'candidate']);
    assert.deepStrictEqual(gatesOf('rnn'), []);
  });

  it('gives the LSTM a cell-state line and the GRU a convex combination', () => {
    assert.ok(layoutCell('lstm').wires.some((w) => w.kind === 'cell' && w.tip === 'cell.lstm.cellLine'));
    const gru = layoutCell('gru');
    assert.ok(gru.shapes.some((s) => s.kind === 'op' && s.symbol === '1−'));
    assert.ok(gru.shapes.some((s) => s.tip === 'cell.gru.mix'));
    assert.ok(!gru.wires.some((w) => w.kind === 'cell'));
  });

  it('prints the vanilla RNN activation it was given', () => {
    const op = layoutCell('rnn', 'relu').shapes.find((s) => s.id === 'op-activation');
    assert.strictEqual(op?.kind === 'op' && op.symbol, 'relu');
  });

  it('explains every shape with an existing string, and keeps everything inside the box', () => {
    for (const cell of ['rnn', 'lstm', 'gru'] as const) {
      const layout = layoutCell(cell);
      for (const shape of layout.shapes) {
        assert.ok(shape.tip in STRINGS, `${cell}:${shape.id} has tip ${shape.tip}`);
        assert.ok(shape.x >= 0 && shape.x <= layout.width && shape.y >= 0 && shape.y <= layout.height, `${cell}:${shape.id} inside`);
      }
      for (const wire of layout.wires) {
        if (wire.tip) assert.ok(wire.tip in STRINGS);
        for (const [x, y] of wire.points) assert.ok(x >= 0 && x <= layout.width && y >= 0 && y <= layout.height);
      }
      assert.strictEqual(new Set(layout.shapes.map((s) => s.id)).size, layout.shapes.length, 'unique ids');
    }
  });
});

describe('unrolled layout', () => {
  it('shows short sequences whole and long ones as head, ellipsis, tail', () => {
    assert.deepStrictEqual(visibleSteps(5), [1, 2, 3, 4, 5]);
    assert.deepStrictEqual(visibleSteps(50), [1, 2, 3, 0, 49, 50]);
  });

  it('answers once at the end for the adding problem', () => {
    const s = spec('{ "model": { "cell": "lstm" }, "task": { "name": "adding", "length": 50 } }');
    const layout = layoutUnrolled(s.model, s.task);
    const outputs = layout.nodes.filter((n) => n.kind === 'output');
    assert.deepStrictEqual(outputs.map((n) => n.t), [50]);
    assert.strictEqual(outputs[0].tip.key, 'arch.finalOutput');
    assert.strictEqual(layout.nodes.filter((n) => n.kind === 'ellipsis').length, 1);
  });

  it('answers every step for copy, over T + 20 steps', () => {
    const s = spec('{ "model": { "cell": "gru" }, "task": { "name": "copy", "length": 20 } }');
    const layout = layoutUnrolled(s.model, s.task);
    const outputs = layout.nodes.filter((n) => n.kind === 'output').map((n) => n.t);
    assert.deepStrictEqual(outputs, [1, 2, 3, 39, 40]);
  });

  it('stacks layers with vertical edges and keeps edges between existing nodes', () => {
    const s = spec('{ "model": { "cell": "rnn", "layers": 3 }, "task": { "name": "sine", "length": 4 } }');
    const layout = layoutUnrolled(s.model, s.task);
    assert.strictEqual(layout.nodes.filter((n) => n.kind === 'hidden').length, 12);
    assert.strictEqual(layout.edges.filter((e) => e.kind === 'vertical').length, 8);
    assert.strictEqual(layout.edges.filter((e) => e.kind === 'recurrent').length, 9);
    const ids = new Set(layout.nodes.map((n) => n.id));
    for (const e of layout.edges) assert.ok(ids.has(e.from) && ids.has(e.to), e.id);
  });

  it('draws an encoder, a decoder bridged by the context, a start token and fed-back outputs for seq2seq', () => {
    const s = spec('{ "model": { "cell": "lstm", "layers": 2, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "arithmetic", "length": 2 } }');
    const layout = layoutUnrolled(s.model, s.task);
    assert.deepStrictEqual(layout.parts.map((p) => p.part), ['encoder', 'decoder']);
    const encoderInputs = layout.nodes.filter((n) => n.part === 'encoder' && n.kind === 'input');
    assert.strictEqual(encoderInputs.length, 5, '"ab+cd" is 5 symbols');
    const outputs = layout.nodes.filter((n) => n.part === 'decoder' && n.kind === 'output');
    assert.strictEqual(outputs.length, 4, 'at most a 3-digit answer, then the end token');
    assert.deepStrictEqual(outputs[3].label, { base: '⟨e⟩', sub: '' });
    assert.strictEqual(outputs[3].tip.key, 'arch.end');
    assert.strictEqual(layout.nodes.filter((n) => n.kind === 'start').length, 1);
    const context = layout.edges.filter((e) => e.kind === 'context');
    assert.deepStrictEqual(context.map((e) => [e.from, e.to]), [['encoder-h-1-5', 'decoder-h-1-1'], ['encoder-h-2-5', 'decoder-h-2-1']]);
    assert.strictEqual(layout.edges.filter((e) => e.kind === 'feedback').length, 3);
    assert.strictEqual(layout.nodes.filter((n) => n.part === 'encoder' && n.kind === 'output').length, 0);
  });
});
