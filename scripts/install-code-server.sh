#!/usr/bin/env bash
# Installs code-server 4.100.3 (a real VS Code 1.100.3) into .vscode-test/code-server for the end-to-end tests.
# @vscode/test-electron cannot download VS Code on this network, and code-server's own ripgrep dependency
# downloads a binary at install time, so its cache is seeded with Debian's rg first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.vscode-test/code-server"
version=4.100.3
if [ -x "$dest/node_modules/.bin/code-server" ] && grep -q "\"version\": \"$version\"" "$dest/node_modules/code-server/package.json" 2>/dev/null; then
  echo "code-server $version already installed in $dest"
  exit 0
fi
# What the install builds with: one line naming the apt-get install if something is missing.
"$root/scripts/check-system.sh"
cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
mkdir -p "$cache"
tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$tarball" ]; then
  tmp=$(mktemp -d)
  cp "$(command -v rg)" "$tmp/rg"
  tar -C "$tmp" -czf "$tarball" rg
  rm -rf "$tmp"
fi
mkdir -p "$dest"
cd "$dest"
[ -f package.json ] || echo '{"name":"code-server-host","private":true}' > package.json
npm_config_yes=true npm install --no-audit --no-fund --unsafe-perm "code-server@$version"
echo "code-server $version installed in $dest"
