/**
 * Which URIs a preview may show, decided on the string alone (a restored panel's saved state is untrusted
 * input): a `*.rnn.json` file on disk or in a remote workspace, or an untitled copy of a bundled example.
 */
const SCHEMES = new Set(['file', 'vscode-remote', 'vscode-vfs', 'untitled']);

export function isSpecUri(uri: string): boolean {
  if (uri.length > 4096) return false;
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):([^?#]*)$/.exec(uri);
  if (!match || !SCHEMES.has(match[1].toLowerCase())) return false;
  let path: string;
  try {
    path = decodeURIComponent(match[2]);
  } catch {
    return false;
  }
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.endsWith('.rnn.json') && name.length > '.rnn.json'.length && !/[\u0000-\u001f]/.test(path);
}
