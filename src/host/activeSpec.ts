import * as vscode from 'vscode';
import { isSpecDocument } from './specStore';

/** The spec the user is looking at: the active editor's, a visible one, or the active tab's. */
export function activeSpec(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active && isSpecDocument(active)) return active.uri;
  const visible = vscode.window.visibleTextEditors.map((e) => e.document).find(isSpecDocument);
  if (visible) return visible.uri;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return tab instanceof vscode.TabInputText && tab.uri.path.endsWith('.rnn.json') ? tab.uri : undefined;
}

/**
 * Right after start-up a command can run before the editor state has reached the extension host; give
 * the active editor a moment to arrive before asking the user to pick a file.
 */
export function activeSpecSoon(timeoutMs = 1500): Promise<vscode.Uri | undefined> {
  const now = activeSpec();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = (uri: vscode.Uri | undefined) => {
      clearTimeout(timer);
      listener.dispose();
      resolve(uri);
    };
    const listener = vscode.window.onDidChangeActiveTextEditor(() => {
      const uri = activeSpec();
      if (uri) done(uri);
    });
    const timer = setTimeout(() => done(activeSpec()), timeoutMs);
  });
}
