#!/usr/bin/env bash
# Installs what the real-editor suites need, idempotently, on a fresh Debian 12 machine that
# reaches only the npm registry and Debian apt:
#   - apt: chromium (UI driver), neovim (second LSP client), ripgrep (stands in for the rg that
#     @vscode/ripgrep would download from GitHub), libkrb5-dev (headers for code-server's
#     `kerberos` native module);
#   - code-server@4.100.3 (= VS Code 1.100.3) from npm, into a cache dir OUTSIDE the repo.
# Re-running is cheap: apt is skipped when every package is present, and a finished
# code-server install (marker file) is reused.
set -euo pipefail

CS_VERSION=4.100.3
# From code-server 4.100.3: lib/vscode/npm-shrinkwrap.json pins @vscode/ripgrep 1.15.11, whose
# lib/postinstall.js fetches ripgrep v13.0.0-10 (musl build on linux-x64).
VSCODE_RIPGREP_VERSION=1.15.11
RG_VERSION=v13.0.0-10

CACHE="${DCR_E2E_CACHE:-$HOME/.cache/dcr-e2e}"
CS_DIR="$CACHE/code-server-$CS_VERSION"
MARKER="$CS_DIR/.install-complete"

log() { printf '[e2e-setup] %s\n' "$*"; }
t0=$(date +%s)

# ---- 1. Debian packages -----------------------------------------------------------------
# g++/make/python3: code-server's native modules (node-pty, kerberos, spdlog...) build with node-gyp.
need_bins=(/usr/bin/chromium /usr/bin/nvim /usr/bin/rg /usr/bin/g++ /usr/bin/make /usr/bin/python3)
missing=0
for b in "${need_bins[@]}"; do [ -x "$b" ] || missing=1; done
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing=1
if [ "$missing" = 1 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  log "installing apt packages: chromium neovim ripgrep libkrb5-dev (+ build tools)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium neovim ripgrep libkrb5-dev ca-certificates python3 make g++ >/dev/null
else
  log "apt packages already present (chromium, neovim, ripgrep, libkrb5-dev)"
fi

# ---- 2. code-server from npm into the cache -------------------------------------------------
if [ -f "$MARKER" ] && [ -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]; then
  log "code-server $CS_VERSION cached at $CS_DIR"
else
  case "$(uname -m)" in
    x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
    aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
    *) echo "[e2e-setup] unsupported architecture $(uname -m)" >&2; exit 2 ;;
  esac
  log "installing code-server@$CS_VERSION into $CS_DIR (npm, about 75-120 s)"
  mkdir -p "$CACHE"
  tmp="$(mktemp -d "$CACHE/.code-server-install.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  # The ripgrep cache trick: @vscode/ripgrep's postinstall looks for
  # <os.tmpdir()>/vscode-ripgrep-cache-<its version>/ripgrep-<rg version>-<target>.tar.gz
  # before it tries GitHub. A tarball holding Debian's rg satisfies it. TMPDIR points at our
  # own scratch dir so os.tmpdir() is known.
  mkdir -p "$tmp/tmp/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION" "$tmp/rg" "$tmp/pkg"
  cp /usr/bin/rg "$tmp/rg/rg"
  tar -czf "$tmp/tmp/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION/ripgrep-$RG_VERSION-$RG_TARGET.tar.gz" -C "$tmp/rg" rg
  printf '{"name":"dcr-e2e-code-server","version":"0.0.0","private":true}\n' > "$tmp/pkg/package.json"
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which would wait for a "y".
  # --unsafe-perm: as root, code-server's own postinstall needs it.
  ( cd "$tmp/pkg" && TMPDIR="$tmp/tmp" npm_config_yes=true CI=true \
      npm install --unsafe-perm --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" </dev/null )
  "$tmp/pkg/node_modules/.bin/code-server" --version >/dev/null
  rm -rf "$CS_DIR"
  mv "$tmp/pkg" "$CS_DIR"
  date -u +%FT%TZ > "$MARKER"
  rm -rf "$tmp"; trap - EXIT
fi

log "code-server: $("$CS_DIR/node_modules/.bin/code-server" --version 2>/dev/null | head -1)"
log "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
log "neovim: $(/usr/bin/nvim --version | head -1)"
log "setup done in $(( $(date +%s) - t0 )) s"
