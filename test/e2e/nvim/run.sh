#!/usr/bin/env bash
# Neovim 0.7 headless LSP client against the bundled server (node dist/server.js --stdio).
# Usage: bash test/e2e/nvim/run.sh [template]   (default: the broken fixture)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
FILE="${1:-$ROOT/test/e2e/fixtures/workspace/templates/broken.jinjasql}"
OUT_DIR="$ROOT/test/e2e/.work/nvim"
mkdir -p "$OUT_DIR"
[ -f "$ROOT/dist/server.js" ] || (cd "$ROOT" && node scripts/build.mjs)
command -v nvim >/dev/null || { echo "nvim not installed; run test/e2e/setup.sh" >&2; exit 2; }
export DCR_SERVER="$ROOT/dist/server.js" DCR_FILE="$FILE" DCR_OUT="$OUT_DIR/result.txt"
rm -f "$DCR_OUT"
t0=$(date +%s%N)
rc=0
# XDG dirs keep Neovim's log/state out of $HOME; `timeout` is a backstop for the vim.wait timeout.
XDG_STATE_HOME="$OUT_DIR/xdg" XDG_DATA_HOME="$OUT_DIR/xdg" XDG_CACHE_HOME="$OUT_DIR/xdg" \
  timeout 90 nvim --headless -u NONE -i NONE -n -c "luafile $HERE/lsp-diagnostics.lua" </dev/null || rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ -f "$DCR_OUT" ] && cat "$DCR_OUT" || echo "no result file (nvim rc=$rc)"
echo "nvim LSP test: rc=$rc in ${ms} ms"
exit "$rc"
