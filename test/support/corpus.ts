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
