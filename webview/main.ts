import { PreviewApp } from './app';
import { connectToHost } from './vscodeApi';

const host = connectToHost();
const app = new PreviewApp(document.getElementById('app') as HTMLElement, host);
window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
window.addEventListener('error', (event) => host.post({ type: 'log', level: 'error', text: String(event.message) }));
host.post({ type: 'ready' });
