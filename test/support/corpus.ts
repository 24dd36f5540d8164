import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES } from '../../tools/hostMessages';

/**
 * Spec texts that invite quick fixes: every bundled example, each key and each word value of it misspelt one
 * at a time, tasks that need seq2seq with seq2seq missing, null or wrong, and hand-written awkward layouts
 * (comments after braces, empty objects, keys written twice, a typo beside the key it means).
 */
export function specCorpus(): Record<string, string> {
  const corpus: Record<string, string> = {};
  const examples = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.rnn.json'));
  for (const name of examples) {
    const text = fs.readFileSync(path.join(EXAMPLES, name), 'utf8');
    corpus[name] = text;
    // Drop the second letter of one key, or of one word value, at a time.
    const words = [...text.matchAll(/"([A-Za-z][A-Za-z-]{2,})"/g)];
    words.forEach((m, i) => {
      const at = (m.index ?? 0) + 2;
      corpus[`${name} typo ${i} (${m[1]})`] = text.slice(0, at) + text.slice(at + 1);
    });
    if (!text.includes('seq2seq')) corpus[`${name} as reverse`] = text.replace(/"name": "[a-z-]+"/, '"name": "reverse"');
  }
  for (const value of ['null', '1', '"yes"', '[]', 'true', '{ "teacherForcing": 2 }']) {
    corpus[`seq2seq ${value}`] = `{ "model": { "cell": "lstm", "seq2seq": ${value} }, "task": { "name": "sort" } }`;
  }
  Object.assign(corpus, {
    'empty model on reverse': '{ "model": {}, "task": { "name": "reverse" } }',
    'comment after the brace': '{ "model": { // the network\n "cell": "lstm" }, "task": { "name": "arithmetic" } }',
    'block comment inside': '{ "model": {/* x */}, "task": { "name": "reverse" } }',
    'model written twice': '{ "model": { "cell": "gru" }, "task": { "name": "reverse" }, "model": { "cell": "lstm" } }',
    'typo beside the key': '{ "model": { "cell": "lstm", "cel": "gru", "hiddenSise": 8, "hiddenSize": 4 }, "task": { "name": "adding" } }',
    'two typos of one key': '{ "model": { "cel": "lstm", "celll": "gru" }, "task": { "name": "adding" } }',
    'typos in compare': '{ "model": { "cell": "rnn" }, "task": { "name": "adding" }, "compare": [{ "cel": "lstm" }, { "cell": "gur" }, { "hiddenSise": 8 }] }',
    'typo as the last key, trailing comma': '{ "model": { "cell": "lstm", "layres": 2, }, "task": { "name": "adding", }, }',
    'CRLF line ends': '{\r\n  "model": { "cell": "lstn" },\r\n  "task": { "name": "reverse" }\r\n}\r\n',
    'enum typos everywhere': '{ "model": { "cell": "lsmt", "init": { "recurrent": "orthogonl" } }, "task": { "name": "addng" }, "training": { "optimizer": "adma" } }',
  });
  return corpus;
}

/**
 * Text that an attacker, or a slip, puts wherever a spec's text or a file's name goes: terminal controls
 * (ESC and OSC sequences, C1 controls, line breaks that forge a line of their own), characters that reorder
 * or hide text (bidirectional overrides and isolates, zero-width joiners, tags), and markup of every kind a
 * sink might render (HTML, SVG, <style>, javascript: and command: links, Markdown, VS Code's $(icon)), then
 * text that must come through as it is. Each is tried in every place it can reach: a file name, a key, a
 * value, a description, an option, the preview, a hover, a notification, a quick pick.
 */
export const HOSTILE_TEXTS: Readonly<Record<string, string>> = {
  'OSC terminal title': 'a\u001b]0;pwned\u0007b',
  'CSI clear screen': 'a\u001b[2J\u001b[Hb',
  'line feed forging a problem': 'x\nspec.rnn.json:1:1: error: forged',
  'carriage return over the line': 'x\rspec.rnn.json:1:1: error: forged',
  'C1 CSI (U+009B)': 'a\u009b31mb',
  'C1 NEL (U+0085)': 'a\u0085b',
  'DEL, BEL, backspace': 'a\u007f\u0007\u0008b',
  'right-to-left override': 'x\u202egnp.exe',
  'embedding and pop': 'a\u202ab\u202bc\u202cd',
  'bidi isolates': 'a\u2066b\u2067c\u2068d\u2069e',
  'direction marks': 'a\u200eb\u200fc\u061cd',
  'zero-width joiner': 'ce\u200dll',
  'zero-width space, non-joiner, word joiner': 'a\u200bb\u200cc\u2060d',
  'byte order mark': '\ufeffcell',
  'soft hyphen': 'ce\u00adll',
  'Hangul filler': 'cell\u3164',
  'tag characters': 'cell\u{e0041}\u{e007f}',
  'Mongolian vowel separator': 'a\u180eb',
  'line and paragraph separators': 'a\u2028b\u2029c',
  'HTML with a handler': '<img src=x onerror="window.__pwned=1">',
  'script element': '<script>window.__pwned=1</script>',
  'SVG with a handler': '<svg onload="window.__pwned=1"><circle r="9"/></svg>',
  'style element': '<style>body{display:none}</style>',
  'javascript: link': '<a href="javascript:window.__pwned=1">click</a>',
  'Markdown command link': '[Run](command:workbench.action.terminal.new)',
  'Markdown command link with arguments': '[x](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%22%7D "go")',
  'Markdown https link': '[site](https://example.invalid/x)',
  'Markdown file link': '[f](file:///etc/passwd)',
  'theme icons': '$(zap) $(terminal)',
  'Markdown emphasis, code and heading': '**bold** _em_ `code` # h',
  'HTML entities': '&lt;b&gt; &amp;',
  'format holes': '{0} {1} %s %d %(prog)s',
  'Korean and emoji, kept as they are': '한국어 설명 😀 ❤️',
};

/**
 * Characters that must never reach a terminal or a message as themselves, written out here independently of
 * the code under test: C0 controls but the line feed that ends a line, DEL and C1, the bidirectional
 * controls, the zero-width and other invisible characters of HOSTILE_TEXTS, line and paragraph separators.
 */
export const UNSHOWABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\u3164\ufeff]|\udb40[\udc00-\udc7f]/;

/** The first character of `text` that must not reach a terminal, as "U+XXXX at N", or null. */
export function firstUnshowable(text: string): string | null {
  const m = UNSHOWABLE.exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at ${m.index}` : null;
}
