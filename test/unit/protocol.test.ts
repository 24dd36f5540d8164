import * as assert from 'assert';
import { isFromWebview, isPersistedState, isToWebview } from '../../src/protocol';
import { checkSpec } from '../../src/core/spec/check';
import { STRINGS } from '../../src/strings';

describe('host-webview protocol guards', () => {
  it('accepts the messages the webview sends', () => {
    assert.ok(isFromWebview({ type: 'ready' }));
    assert.ok(isFromWebview({ type: 'reveal', offset: 12 }));
    assert.ok(isFromWebview({ type: 'rendered', cell: 'lstm', variants: 2, gates: ['forget'] }));
    assert.ok(isFromWebview({ type: 'log', level: 'warn', text: 'x' }));
  });

  it('rejects anything else a compromised page could send', () => {
    const bad: unknown[] = [
      null, 'ready', 42, [], {}, { type: 'unknown' }, { type: 'reveal' }, { type: 'reveal', offset: -1 },
      { type: 'reveal', offset: 1.5 }, { type: 'reveal', offset: '3' }, { type: 'log', level: 'fatal', text: 'x' },
      { type: 'log', level: 'info', text: 'x'.repeat(20_000) }, { type: 'rendered', cell: 'lstm', variants: 1, gates: 'forget' },
      { type: 'rendered', cell: 'lstm', variants: 1, gates: Array(100).fill('g') },
    ];
    for (const m of bad) assert.strictEqual(isFromWebview(m), false, JSON.stringify(m));
  });

  it('checks host messages on the webview side too', () => {
    const { spec } = checkSpec('{ "model": { "cell": "gru" }, "task": { "name": "sine" } }');
    const document = { uri: 'file:///a.rnn.json', fileName: 'a.rnn.json', version: 3 };
    assert.ok(isToWebview({ type: 'update', document, spec, problems: [] }));
    assert.ok(isToWebview({ type: 'update', document, spec: null, problems: [{ message: 'm', line: 0, character: 1, offset: 1 }] }));
    assert.ok(isToWebview({ type: 'init', document, spec, problems: [], strings: STRINGS, locale: 'ko', settings: { backend: 'auto' } }));
    assert.ok(!isToWebview({ type: 'init', document, spec, problems: [], strings: STRINGS, locale: 'ko', settings: { backend: 'cuda' } }));
    assert.ok(!isToWebview({ type: 'update', document, spec: { model: 1 }, problems: [] }));
    assert.ok(!isToWebview({ type: 'update', document: { uri: 1 }, spec: null, problems: [] }));
    assert.ok(!isToWebview({ type: 'init', document, spec, problems: [], strings: { a: 1 }, locale: 'en', settings: { backend: 'auto' } }));
  });

  it('validates persisted state before a panel is restored from it', () => {
    assert.ok(isPersistedState({ uri: 'file:///a.rnn.json' }));
    assert.ok(isPersistedState({ uri: 'file:///a.rnn.json', view: { variant: 1 } }));
    assert.ok(!isPersistedState(undefined));
    assert.ok(!isPersistedState({ uri: 5 }));
  });
});
