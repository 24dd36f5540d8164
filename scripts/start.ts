/**
 * `npm start`: build, then open VS Code with the extension and examples/. Uses a desktop VS Code (`code` on
 * the PATH) when there is one; otherwise installs and starts code-server (a real VS Code in the browser).
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { launchCodeServer, ROOT } from '../tools/codeServer';

function hasDesktopCode(): boolean {
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  const examples = path.join(ROOT, 'examples');
  if (hasDesktopCode() && !process.env.RNN_LENS_CODE_SERVER) {
    spawnSync('code', ['--extensionDevelopmentPath', ROOT, examples], { stdio: 'inherit' });
    return;
  }
  const install = spawnSync(path.join(ROOT, 'scripts', 'install-code-server.sh'), { stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
  const port = Number(process.env.PORT ?? 8080);
  const server = await launchCodeServer({ workspace: examples, port, stdio: 'inherit', settings: { 'workbench.startupEditor': 'none' } });
  console.log(`\nRNN Lens is running in VS Code (code-server) at ${server.url}/?folder=${encodeURIComponent(examples)}`);
  console.log('Open a *.rnn.json file, then run "Visualize LSTM" from the command palette (F1). Ctrl+C stops.\n');
  const stop = () => {
    server.stop().then(() => process.exit(0), (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
