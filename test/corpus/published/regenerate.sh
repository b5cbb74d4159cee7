#!/usr/bin/env bash
# Regenerates the reference renders of the published corpus from real Jinja2.
#   test/corpus/published/regenerate.sh          rewrite every NAME.golden.json in place
#   test/corpus/published/regenerate.sh --check  render into a temp dir; exit 1 with a diff if a
#                                                committed golden is stale
# Debian's /usr/bin/python3 is required: python3-jinja2 3.1.x, markupsafe and python3-yaml.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py=/usr/bin/python3
if [[ ! -x "$py" ]] || ! "$py" -c 'import jinja2, markupsafe, yaml' 2>/dev/null; then
  echo "regenerate.sh: $py with jinja2, markupsafe and yaml is required (apt-get install python3-jinja2 python3-yaml)" >&2
  exit 2
fi
export PYTHONHASHSEED=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$py" "$here/oracle.py" "$here" "$tmp" >/dev/null
if [[ "${1:-}" == "--check" ]]; then
  status=0
  for f in "$tmp"/*.golden.json; do
    if ! diff -u "$here/$(basename "$f")" "$f"; then status=1; fi
  done
  for f in "$here"/*.golden.json; do
    [[ -e "$tmp/$(basename "$f")" ]] || { echo "stale golden with no case: $(basename "$f")"; status=1; }
  done
  if [[ $status -ne 0 ]]; then
    echo "regenerate.sh --check: goldens differ from Jinja2 output; run test/corpus/published/regenerate.sh" >&2
    exit 1
  fi
  echo "regenerate.sh --check: goldens up to date"
else
  # Every golden is written to the temp dir first, so a failing oracle leaves none half-written.
  rm -f "$here"/*.golden.json
  cp "$tmp"/*.golden.json "$here"/
  "$py" -c 'print("regenerate.sh: %d goldens" % len(__import__("glob").glob("'"$here"'/*.golden.json")))'
fi
