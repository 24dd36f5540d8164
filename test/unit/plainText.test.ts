import * as assert from 'assert';
import { clip, visible } from '../../src/core/messages';
import { appendPlain, labelText, markdownText, noticeText } from '../../src/host/plainText';
import { firstUnshowable, HOSTILE_TEXTS } from '../support/corpus';

/**
 * The one escaping function and the host's text sinks, on every text of the hostile corpus (issue 29, 3 and
 * 7). The patterns below are VS Code's own (1.100): what its notifications turn into links
 * (vs/base/common/linkedText.ts) and what its labels draw as icons (vs/base/browser/ui/iconLabel/iconLabels.ts).
 */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const ICON = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;
const CORPUS = Object.entries(HOSTILE_TEXTS);

describe('visible: user text as a terminal or a message may show it', () => {
  it(`escapes every control, bidi and invisible character of the corpus (${CORPUS.length} texts), and nothing else`, () => {
    for (const [name, text] of CORPUS) {
      const shown = visible(text);
      assert.strictEqual(firstUnshowable(shown), null, `${name}: ${JSON.stringify(shown)}`);
      assert.ok(!shown.includes('\n'), name);
      // Only the characters escaped changed: drop the escapes from the text and the rest is the same.
      const kept = [...text].filter((c) => firstUnshowable(c) === null && c !== '\n').join('');
      assert.strictEqual(shown.replace(/\\u\{[0-9a-f]+\}|\\u[0-9a-f]{4}|\\[nrt]/g, ''), kept, name);
    }
    assert.strictEqual(visible('x\u202egnp.exe'), 'x\\u202egnp.exe');
    assert.strictEqual(visible('ce\u200dll'), 'ce\\u200dll');
    assert.strictEqual(visible('a\u001b]0;t\u0007'), 'a\\u001b]0;t\\u0007');
    assert.strictEqual(visible('tag\u{e0041}'), 'tag\\u{e0041}');
    assert.strictEqual(visible('lone\ud800'), 'lone\\ud800');
    assert.strictEqual(visible('한국어 😀 ❤️ é'), '한국어 😀 ❤️ é', 'letters, emoji and their variation selectors stay');
  });

  it('is what clip quotes with, so every problem that quotes the user stays on one line', () => {
    for (const [name, text] of CORPUS) assert.strictEqual(firstUnshowable(clip(text, 1000)), null, name);
  });
});

describe('the host shows spec text as text (issue 29, 7)', () => {
  it(`leaves no link in a notification for any text of the corpus (${CORPUS.length}), and reads the same`, () => {
    for (const [name, text] of CORPUS) {
      const notice = noticeText(text);
      assert.deepStrictEqual(notice.match(NOTIFICATION_LINK), null, `${name}: ${notice}`);
      assert.strictEqual(notice.replace(/\u200b/g, ''), visible(text), name);
    }
    // The pattern itself finds the links it is about, so that the check above can fail.
    assert.strictEqual(HOSTILE_TEXTS['Markdown command link'].match(NOTIFICATION_LINK)?.length, 1);
    assert.strictEqual(`file ${HOSTILE_TEXTS['Markdown command link with arguments']}.rnn.json`.match(NOTIFICATION_LINK)?.length, 1);
  });

  it('draws no icon in a quick pick or the status bar for any text of the corpus', () => {
    for (const [name, text] of CORPUS) {
      const label = labelText(text);
      const drawn = [...label.matchAll(ICON)].filter((m) => !m[1]);
      assert.deepStrictEqual(drawn.map((m) => m[0]), [], `${name}: ${label}`);
      assert.strictEqual(firstUnshowable(label), null, name);
    }
    assert.strictEqual(labelText('$(zap) x'), '\\$(zap) x');
    assert.strictEqual([...'$(zap)'.matchAll(ICON)].length, 1, 'the pattern finds an icon');
  });

  it('writes spec text into Markdown with every piece of syntax escaped, reading back as the visible text', () => {
    const punctuation = /[!-/:-@[-`{-~]/;
    for (const [name, text] of CORPUS) {
      const md = markdownText(text);
      assert.strictEqual(md.replace(/\\([!-/:-@[-`{-~])/g, '$1'), visible(text), name);
      assert.doesNotMatch(md.replace(/\\[!-/:-@[-`{-~]/g, ''), punctuation, `${name}: ${md}`);
    }
    const calls: string[] = [];
    const builder = { appendMarkdown(value: string) { calls.push(value); return builder; } };
    appendPlain(builder, '[x](command:a) **b**');
    assert.deepStrictEqual(calls, ['\\[x\\]\\(command\\:a\\) \\*\\*b\\*\\*']);
  });
});
