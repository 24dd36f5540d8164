import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../../tools/codeServer';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';

/** Where a failing end-to-end test leaves its screenshot (test-results/, ignored by git). */
export function failureShot(title: string): string {
  const dir = path.join(ROOT, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${title.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
}

/**
 * Registers the hooks of an end-to-end suite: start code-server before, leave a screenshot and the server's
 * log when a test fails, stop it after. Call inside `describe`; the getter gives the running server.
 */
export function useCodeServer(options: CodeServerOptions = {}): () => CodeServer {
  let server: CodeServer | undefined;
  before(async () => {
    server = await startCodeServer(options);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && server) {
      await server.page.screenshot({ path: failureShot(this.currentTest.title) }).catch(() => undefined);
      console.log(server.log.join('').slice(-4000));
    }
  });
  after(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('code-server has not started');
    return server;
  };
}
