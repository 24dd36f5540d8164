import type * as vscode from 'vscode';
import { isViewLayout, type ViewLayout } from '../shared/uiState';

const KEY = 'rnnLens.layouts';
/** Specs remembered at most; the least recently changed are forgotten first. */
const MAX = 200;

/**
 * Which views the learner opened and closed, per spec file, kept in the workspace's state so that a preview
 * closed and opened again comes back as they left it. (A reloaded window restores the page's own state.)
 */
export class LayoutMemory {
  constructor(private readonly memento: vscode.Memento) {}

  private all(): Record<string, ViewLayout> {
    const stored: unknown = this.memento.get(KEY);
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
    return Object.fromEntries(Object.entries(stored).filter((e): e is [string, ViewLayout] => isViewLayout(e[1])));
  }

  get(uri: vscode.Uri): ViewLayout | undefined {
    return this.all()[uri.toString()];
  }

  async set(uri: vscode.Uri, layout: ViewLayout): Promise<void> {
    const all = this.all();
    delete all[uri.toString()];
    all[uri.toString()] = layout;
    const keys = Object.keys(all);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX))) delete all[old];
    await this.memento.update(KEY, all);
  }
}
