#!/usr/bin/python3
"""Reference renders for the published corpus: each host file's templates, exactly as
Snowflake receives them, rendered with the case's arguments by real Jinja2 + the JinjaSQL
0.1.8 bind layer of the conformance oracle (test/conformance/jinjasql_compat.py).

    /usr/bin/python3 test/corpus/published/oracle.py IN_DIR OUT_DIR

Writes OUT_DIR/NAME.golden.json = {"templates": [{"text", "query", "binds", "output"} | {"text", "error"}]}.

Template text, found independently of the engine so the goldens can catch its extraction:
  * NAME.jinjasql: the whole file;
  * NAME.yaml: the `template` value of the YAML document (python's yaml module);
  * NAME.sql: every $$-quoted argument of a CALL to add_custom_sql_template,
    create_template_request or get_sql_jinja (the argument itself), or register_template
    (the `template` value of the spec YAML). Every template in this corpus is $$-quoted;
    a template call with any other quoting stops the script, so nothing is skipped silently.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "conformance"))

import jinja2  # noqa: E402
import yaml  # noqa: E402

from jinjasql_compat import make_environment, render_jinjasql  # noqa: E402

TEMPLATE_PROCS = ("add_custom_sql_template", "create_template_request", "get_sql_jinja")
SPEC_PROCS = ("register_template",)
CALL = re.compile(r"\bcall\s+([A-Za-z0-9_$.]+)\s*\(", re.I)


def strip_comments(sql):
    """The SQL with comments blanked (same length), outside $$…$$ and '…' strings."""
    out = list(sql)
    i, n = 0, len(sql)
    while i < n:
        if sql.startswith("$$", i):
            j = sql.find("$$", i + 2)
            i = n if j < 0 else j + 2
        elif sql[i] == "'":
            j = i + 1
            while j < n and sql[j] != "'":
                j += 2 if sql[j] == "\\" else 1
            i = j + 1
        elif sql.startswith("--", i) or sql.startswith("//", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out[i:j] = " " * (j - i)
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out[i:j] = [c if c == "\n" else " " for c in sql[i:j]]
            i = j
        else:
            i += 1
    return "".join(out)


def spec_template(spec_text):
    doc = yaml.safe_load(spec_text)
    if not isinstance(doc, dict) or doc.get("spec_type") != "template" or not isinstance(doc.get("template"), str):
        raise SystemExit("oracle: a spec without a string template")
    return doc["template"]


def worksheet_templates(sql):
    clean = strip_comments(sql)
    out = []
    calls = list(CALL.finditer(clean))
    for k, m in enumerate(calls):
        proc = m.group(1).lower().split(".")[-1]
        if proc not in TEMPLATE_PROCS + SPEC_PROCS:
            continue
        end = calls[k + 1].start() if k + 1 < len(calls) else len(clean)
        start = clean.find("$$", m.end())
        if start < 0 or start >= end:
            raise SystemExit("oracle: %s call without a $$ argument" % proc)
        stop = clean.find("$$", start + 2)
        body = sql[start + 2:stop]
        out.append(spec_template(body) if proc in SPEC_PROCS else body)
    return out


def templates_of(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".jinjasql"):
        return [text]
    if path.endswith(".yaml"):
        return [spec_template(text)]
    return worksheet_templates(text)


def render(text, args):
    try:
        query, params, output = render_jinjasql(make_environment(), text, args)
        return {"text": text, "query": query, "binds": [[k, repr(v)] for k, v in params], "output": output}
    except Exception as e:  # a published template may fail to render; the type is the golden
        return {"text": text, "error": {"type": type(e).__name__, "message": str(e)}}


def main():
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    if not jinja2.__version__.startswith("3.1."):
        print("oracle: expected Jinja2 3.1.x, found %s" % jinja2.__version__, file=sys.stderr)
        return 2
    os.makedirs(out_dir, exist_ok=True)
    count = 0
    for name in sorted(os.listdir(in_dir)):
        m = re.match(r"(.*)\.(sql|yaml|jinjasql)$", name)
        if not m:
            continue
        with open(os.path.join(in_dir, m.group(1) + ".case.json"), encoding="utf-8") as f:
            case = json.load(f)
        texts = templates_of(os.path.join(in_dir, name))
        args = case["args"]
        per = args if isinstance(args, list) else [args] * len(texts)
        if len(per) != len(texts):
            raise SystemExit("oracle: %s has %d templates but %d argument sets" % (name, len(texts), len(per)))
        golden = {"templates": [render(t, a) for t, a in zip(texts, per)]}
        with open(os.path.join(out_dir, m.group(1) + ".golden.json"), "w", encoding="utf-8") as f:
            f.write(json.dumps(golden, indent=1, ensure_ascii=False) + "\n")
        count += len(texts)
    print("oracle: %d templates, Jinja2 %s" % (count, jinja2.__version__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
