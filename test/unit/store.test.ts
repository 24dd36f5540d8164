import * as assert from 'assert';
import { DEFAULT_UI_STATE, type UiState } from '../../src/shared/uiState';
import { Store } from '../../webview/store';
import { preferredVariant, shownVariant } from '../../webview/run/selectors';
import { defaultLayout, isOpen, viewOrder, VIEWS } from '../../webview/views/registry';
import { spec } from '../support/specs';

describe('the UI store', () => {
  it('tells listeners which keys changed, once per set, and only when a value changed', () => {
    const store = new Store<UiState>(DEFAULT_UI_STATE);
    const heard: string[][] = [];
    store.subscribe((_, changed) => heard.push([...changed].map(String).sort()));
    store.set({ focus: 3, zoom: '100' });
    store.set({ focus: 3 });
    store.set({ variant: null });
    assert.deepStrictEqual(heard, [['focus', 'zoom']]);
    assert.deepStrictEqual(store.get(), { ...DEFAULT_UI_STATE, focus: 3, zoom: '100' });
  });

  it('replaces the state instead of mutating it, so a listener may keep what it was given', () => {
    const store = new Store<UiState>(DEFAULT_UI_STATE);
    const seen: UiState[] = [];
    store.subscribe((s) => seen.push(s));
    store.set({ sample: 2 });
    store.set({ sample: 5 });
    assert.deepStrictEqual(seen.map((s) => s.sample), [2, 5]);
    assert.strictEqual(DEFAULT_UI_STATE.sample, 0);
  });

  it('calls a listener subscribed to some keys only when one of them changed, until it unsubscribes', () => {
    const store = new Store<UiState>(DEFAULT_UI_STATE);
    let calls = 0;
    const unsubscribe = store.subscribe(() => { calls++; }, ['variant']);
    store.set({ focus: 4 });
    assert.strictEqual(calls, 0);
    store.set({ variant: 1, focus: 5 });
    assert.strictEqual(calls, 1);
    unsubscribe();
    store.set({ variant: 2 });
    assert.strictEqual(calls, 1);
  });
});

describe('the view registry', () => {
  it('names every view once, with the data-view hooks the tests and layouts rely on', () => {
    const ids = VIEWS.map((v) => v.id);
    assert.deepStrictEqual(ids, [...new Set(ids)]);
    for (const id of ['architecture', 'seq2seq', 'gates', 'gradient-flow', 'vanishing', 'clipping', 'loss']) assert.ok(ids.includes(id), id);
  });

  it('shows the seq2seq view only for encoder-decoder specs', () => {
    assert.ok(!viewOrder(spec('{ "model": { "cell": "lstm" }, "task": { "name": "adding" } }')).some((v) => v.id === 'seq2seq'));
    const ids = viewOrder(spec('{ "model": { "cell": "gru", "seq2seq": {} }, "task": { "name": "reverse" } }')).map((v) => v.id);
    assert.deepStrictEqual(ids.slice(0, 2), ['architecture', 'seq2seq'], 'right under the diagram');
  });

  it('shows the vanishing view only for specs with a vanilla RNN', () => {
    const lstm = viewOrder(spec('{ "model": { "cell": "lstm" }, "task": { "name": "adding" } }')).map((v) => v.id);
    const mixed = viewOrder(spec('{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "compare": [{ "cell": "rnn" }] }')).map((v) => v.id);
    assert.ok(!lstm.includes('vanishing'));
    assert.ok(mixed.includes('vanishing'));
    assert.deepStrictEqual([...mixed].sort(), VIEWS.map((v) => v.id).filter((id) => id !== 'seq2seq' && id !== 'horizon').sort(),
      'every view of a single run but seq2seq, once');
  });

  it('gives a sweep\'s page the horizon view alone, open, and no other page the horizon view', () => {
    const sweep = spec('{ "model": { "cell": "rnn" }, "task": { "name": "adding" }, "training": { "steps": 50 }, "sweep": { "key": "task.length", "values": [5, 10] } }');
    assert.deepStrictEqual(viewOrder(sweep).map((v) => v.id), ['horizon']);
    assert.ok(defaultLayout(sweep).open.has('horizon'));
    assert.ok(!viewOrder(spec('{ "model": { "cell": "rnn" }, "task": { "name": "adding" } }')).some((v) => v.id === 'horizon'));
  });
});

describe('the page layout per spec', () => {
  const first = (text: string, n: number) => viewOrder(spec(text)).slice(0, n).map((v) => v.id);
  const open = (text: string) => viewOrder(spec(text)).map((v) => v.id).filter((id) => defaultLayout(spec(text)).open.has(id));

  it('puts the gradient flow and the loss of every model first for a comparison', () => {
    const text = '{ "model": { "cell": "rnn" }, "task": { "name": "adding" }, "compare": [{ "cell": "lstm" }, { "cell": "gru" }] }';
    assert.deepStrictEqual(first(text, 2), ['gradient-flow', 'loss']);
    assert.ok(!open(text).includes('architecture'), 'the unrolled network is one click away');
  });

  it('puts the cell with its gates first for one LSTM, and the gradient flow for one vanilla RNN', () => {
    assert.deepStrictEqual(first('{ "model": { "cell": "lstm" }, "task": { "name": "adding" } }', 1), ['gates']);
    assert.deepStrictEqual(first('{ "model": { "cell": "rnn" }, "task": { "name": "adding" } }', 2), ['gradient-flow', 'vanishing']);
    const clipped = '{ "model": { "cell": "rnn" }, "task": { "name": "adding" }, "training": { "clipNorm": 1 } }';
    assert.deepStrictEqual(first(clipped, 2), ['gradient-flow', 'clipping']);
    assert.ok(open(clipped).includes('clipping'));
    assert.ok(!open('{ "model": { "cell": "rnn" }, "task": { "name": "adding" } }').includes('clipping'), 'closed when the spec does not clip');
    assert.ok(!open('{ "model": { "cell": "rnn" }, "task": { "name": "adding" } }').includes('gates'), 'a vanilla RNN has no gates to show');
    assert.ok(open('{ "model": { "cell": "rnn" }, "task": { "name": "adding" } }').includes('architecture'), 'but its unrolled network, open');
  });

  it('opens the unrolled encoder and decoder first for seq2seq', () => {
    assert.deepStrictEqual(first('{ "model": { "cell": "lstm", "seq2seq": {} }, "task": { "name": "reverse" } }', 1), ['architecture']);
  });

  it('lets the learner open and close views against that default', () => {
    const s = spec('{ "model": { "cell": "lstm" }, "task": { "name": "adding" } }');
    assert.strictEqual(isOpen(s, {}, 'architecture'), false);
    assert.strictEqual(isOpen(s, { architecture: true }, 'architecture'), true);
    assert.strictEqual(isOpen(s, { gates: false }, 'gates'), false);
    assert.strictEqual(isOpen(s, { gates: false }, 'loss'), true);
  });

  it('opens a comparison on the model with the most gates, until the learner picks one', () => {
    const s = spec('{ "model": { "cell": "rnn" }, "task": { "name": "adding" }, "compare": [{ "cell": "gru" }, { "cell": "lstm" }] }');
    assert.strictEqual(preferredVariant(s), 2);
    assert.strictEqual(shownVariant(s, null), 2);
    assert.strictEqual(shownVariant(s, 0), 0);
    assert.strictEqual(shownVariant(s, 7), 2, 'a stale choice is clamped');
    assert.strictEqual(preferredVariant(spec('{ "model": { "cell": "rnn" }, "task": { "name": "adding" }, "compare": [{ "cell": "rnn", "hiddenSize": 8 }] }')), 0);
  });
});
