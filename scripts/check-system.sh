#!/usr/bin/env bash
# Checks the system packages the tests need, and stops with one line naming the `apt-get install` to run when
# some are missing: Chromium (browser and end-to-end tests), and, until code-server is installed, what its
# install builds with (scripts/install-code-server.sh); and a Python that imports torch, for the PyTorch export's
# agreement tests (Debian's python3-torch, for /usr/bin/python3). `npm test` runs it first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
torch=no
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import torch' >/dev/null 2>&1; then torch=yes; break; fi
done
[ "$torch" = yes ] || missing+=(python3-torch)
if [ ! -x "$root/.vscode-test/code-server/node_modules/.bin/code-server" ]; then
  command -v rg >/dev/null || missing+=(ripgrep)
  if command -v dpkg >/dev/null; then
    for p in pkg-config libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev; do
      dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
  fi
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "RNN Lens tests: missing system packages; run: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
