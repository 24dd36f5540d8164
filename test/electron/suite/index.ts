import * as assert from 'assert';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { RnnLensApi } from '../../../src/extension';

/** The same scenarios as test/e2e, through the extension API where a DOM is out of reach. */
async function until<T>(read: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function defineTests(): void {
  suite('RNN Lens', () => {
    test('Visualize LSTM opens a preview that follows edits; problems reach the Problems panel', async () => {
      const extension = vscode.extensions.getExtension<RnnLensApi>('rnn-lens.rnn-lens');
      assert.ok(extension);
      const api = await extension.activate();
      const folder = vscode.workspace.workspaceFolders![0].uri;
      const uri = vscode.Uri.joinPath(folder, 'demo.rnn.json');
      await vscode.workspace.fs.writeFile(uri, Buffer.from('{ "model": { "cell": "lstm" }, "task": { "name": "adding", "length": 20 } }'));
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('rnnLens.visualize');
      const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview);
      assert.ok(tab, 'a webview tab opened');
      assert.match((tab.input as vscode.TabInputWebview).viewType, /rnnLens\.preview/);
      const first = await until(() => api.lastRendered(uri), 'the first drawing');
      assert.deepStrictEqual(first.gates, ['forget', 'input', 'candidate', 'output']);

      const edit = new vscode.WorkspaceEdit();
      const at = doc.getText().indexOf('"lstm"');
      edit.replace(uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 6)), '"gru"');
      await vscode.workspace.applyEdit(edit);
      await until(() => (api.lastRendered(uri)?.cell === 'gru' ? true : undefined), 'the preview to follow the edit');

      const bad = new vscode.WorkspaceEdit();
      const at2 = doc.getText().indexOf('"gru"');
      bad.replace(uri, new vscode.Range(doc.positionAt(at2), doc.positionAt(at2 + 5)), '"grux"');
      await vscode.workspace.applyEdit(bad);
      const diagnostics = await until(() => {
        const list = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'RNN Lens');
        return list.length ? list : undefined;
      }, 'a diagnostic');
      assert.match(diagnostics[0].message, /model\.cell cannot be the string "grux"/);
      assert.strictEqual(diagnostics[0].range.start.character, doc.getText().indexOf('"grux"'));
    });
  });
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: true });
  mocha.suite.emit('pre-require', globalThis, 'rnn-lens', mocha);
  defineTests();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
