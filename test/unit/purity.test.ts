import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the core is pure', () => {
  const core = files(path.join(ROOT, 'src', 'core'));

  it('has files to check', () => assert.ok(core.length > 5));

  it('imports neither vscode nor anything from the host or the webview', () => {
    for (const file of core) {
      const text = fs.readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /from ['"]vscode['"]|require\(['"]vscode['"]\)/, file);
      assert.doesNotMatch(text, /from ['"][./]*(host|webview)\//, file);
    }
  });

  it('touches no DOM global', () => {
    for (const file of core) {
      const text = fs.readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      assert.doesNotMatch(text, /\b(document|window|HTMLElement|navigator)\./, file);
    }
  });

  it('keeps extension.ts thin', () => {
    const lines = fs.readFileSync(path.join(ROOT, 'src', 'extension.ts'), 'utf8').split('\n').length;
    assert.ok(lines < 60, `extension.ts has ${lines} lines`);
  });
});
