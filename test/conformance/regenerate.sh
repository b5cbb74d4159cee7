#!/usr/bin/env bash
# Regenerates the conformance goldens from real Jinja2.
#   test/conformance/regenerate.sh          rewrite test/conformance/golden/ in place
#   test/conformance/regenerate.sh --check  render into a temp dir; exit 1 with a diff if the
#                                           committed goldens are stale (CI runs this)
# Debian's /usr/bin/python3 is required: it has python3-jinja2 3.1.x and markupsafe.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py=/usr/bin/python3
if [[ ! -x "$py" ]] || ! "$py" -c 'import jinja2, markupsafe' 2>/dev/null; then
  echo "regenerate.sh: $py with jinja2 and markupsafe is required (apt-get install python3-jinja2)" >&2
  exit 2
fi
# Hash order must not leak into goldens (sets, unique on unhashable fallbacks).
export PYTHONHASHSEED=0
if [[ "${1:-}" == "--check" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  "$py" "$here/oracle.py" "$here/cases" "$tmp" >/dev/null
  if ! diff -ru "$here/golden" "$tmp"; then
    echo "regenerate.sh --check: goldens differ from Jinja2 output; run test/conformance/regenerate.sh" >&2
    exit 1
  fi
  echo "regenerate.sh --check: goldens up to date"
else
  # Render into a sibling dir first so a failing oracle never leaves half-written goldens.
  tmp="$(mktemp -d "$here/.golden.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  "$py" "$here/oracle.py" "$here/cases" "$tmp"
  rm -rf "$here/golden"
  mv "$tmp" "$here/golden"
fi
