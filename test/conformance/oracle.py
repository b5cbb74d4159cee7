#!/usr/bin/python3
"""Differential oracle: renders every conformance case with real Jinja2 (Debian's
python3-jinja2) and writes the goldens the Node suite compares against.

Run with /usr/bin/python3 (the pyenv python on PATH has no jinja2). Usually through
regenerate.sh, which also pins PYTHONHASHSEED.

    /usr/bin/python3 test/conformance/oracle.py CASES_DIR OUT_DIR

Case file: a JSON array of {id, category, template (str, or list of lines joined by "\\n"),
context (object), jinjasql (bool)}. Golden file: {id: result} in case order, where result is
  Jinja mode:    {"output": str} | {"error": {"type", "message"}}
  JinjaSQL mode: {"query": str, "binds": [[name, repr(value)]...], "output": str} | {"error": ...}
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jinja2  # noqa: E402
from jinja2 import Environment  # noqa: E402

from jinjasql_compat import make_environment, render_jinjasql  # noqa: E402


def template_text(case):
    t = case["template"]
    return "\n".join(t) if isinstance(t, list) else t


def run_case(case):
    source = template_text(case)
    context = case["context"]
    try:
        if case["jinjasql"]:
            query, params, output = render_jinjasql(make_environment(), source, context)
            return {"query": query, "binds": [[k, repr(v)] for k, v in params], "output": output}
        return {"output": Environment().from_string(source).render(context)}
    except RecursionError:
        # Not something a case should test: the engine's depth cap answers differently.
        raise
    except Exception as e:  # every Python exception is an expected outcome of a case
        return {"error": {"type": type(e).__name__, "message": str(e)}}


def main():
    cases_dir, out_dir = sys.argv[1], sys.argv[2]
    if not jinja2.__version__.startswith("3.1."):
        print("oracle: expected Jinja2 3.1.x, found %s" % jinja2.__version__, file=sys.stderr)
        return 2
    os.makedirs(out_dir, exist_ok=True)
    seen = set()
    total = 0
    for name in sorted(os.listdir(cases_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(cases_dir, name), encoding="utf-8") as f:
            # Plain json.loads: 3.0 stays a float, as parseArguments keeps it on the Node side.
            cases = json.loads(f.read())
        golden = {}
        for case in cases:
            cid = case["id"]
            if cid in seen:
                print("oracle: duplicate case id %s" % cid, file=sys.stderr)
                return 2
            seen.add(cid)
            golden[cid] = run_case(case)
            total += 1
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            f.write(json.dumps(golden, indent=1, ensure_ascii=False) + "\n")
    print("oracle: %d cases, Jinja2 %s" % (total, jinja2.__version__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
