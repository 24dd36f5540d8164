import { PreviewApp } from './app';
import { connectToHost } from './vscodeApi';

function files(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(document.body.dataset.files ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

const host = connectToHost();
const app = new PreviewApp(document.getElementById('app') as HTMLElement, host, files());
// Diagnostics for tests and bug reports: simulate a GPU reset (the WebGL context is lost mid-run).
window.addEventListener('rnn-lens:lose-context', () => app.loseContext());
window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
window.addEventListener('error', (event) => host.post({ type: 'log', level: 'error', text: String(event.message) }));
host.post({ type: 'ready' });
