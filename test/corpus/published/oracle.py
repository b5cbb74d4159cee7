#!/usr/bin/python3
"""Reference renders for the published corpus: each host file's templates, exactly as
Snowflake receives them, rendered with the case's arguments by real Jinja2 + the JinjaSQL
0.1.8 bind layer of the conformance oracle (test/conformance/jinjasql_compat.py).

    /usr/bin/python3 test/corpus/published/oracle.py IN_DIR OUT_DIR

Writes OUT_DIR/NAME.golden.json = {"templates": [{"text", "query", "binds", "output"} | {"text", "error"}]}.

Template text, found independently of the engine so the goldens can catch its extraction:
  * NAME.jinjasql: the whole file;
  * NAME.yaml: the `template` value of the YAML document (python's yaml module);
  * NAME.sql: the template argument of every CALL to add_custom_sql_template or
    create_template_request (third argument), get_sql_jinja (first), or register_template
    (the spec, after an optional registry name; its `template` value), given as $$…$$ or as a
    '…' literal (decoded: '' and backslash escapes). Comments (--, //, /* */) between
    arguments are skipped. A template call whose template argument is not a string stops the
    script, so nothing is skipped silently.
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


def decode_single_quoted(body):
    """A Snowflake '…' literal's value: '' and backslash escapes (an unknown escape is the character)."""
    simple = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "0": "\0"}
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "'" and body.startswith("''", i):
            out.append("'")
            i += 2
        elif ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt == "x" and re.match(r"[0-9A-Fa-f]{2}", body[i + 2:i + 4]):
                out.append(chr(int(body[i + 2:i + 4], 16)))
                i += 4
            elif nxt == "u" and re.match(r"[0-9A-Fa-f]{4}", body[i + 2:i + 6]):
                out.append(chr(int(body[i + 2:i + 6], 16)))
                i += 6
            else:
                out.append(simple.get(nxt, nxt))
                i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def call_arguments(sql, clean, pos):
    """The arguments of the call whose '(' ends at pos: a list of ('string', value) or ('other', text)."""
    args, i, n = [], pos, len(sql)
    while i < n:
        while i < n and clean[i].isspace():
            i += 1
        if i >= n or clean[i] == ")":
            return args
        if sql.startswith("$$", i):
            j = sql.index("$$", i + 2)
            args.append(("string", sql[i + 2:j]))
            i = j + 2
        elif sql[i] == "'":
            j = i + 1
            while True:
                if sql[j] == "\\":
                    j += 2
                elif sql.startswith("''", j):
                    j += 2
                elif sql[j] == "'":
                    break
                else:
                    j += 1
            args.append(("string", decode_single_quoted(sql[i + 1:j])))
            i = j + 1
        else:
            depth, j = 0, i
            while j < n and not (depth == 0 and clean[j] in ",)"):
                depth += clean[j] in "([" and 1 or (clean[j] in ")]" and -1 or 0)
                j += 1
            args.append(("other", clean[i:j].strip()))
            i = j
        while i < n and clean[i].isspace():
            i += 1
        if i < n and clean[i] == ",":
            i += 1
    raise SystemExit("oracle: unterminated call")


def worksheet_templates(sql):
    clean = strip_comments(sql)
    out = []
    for m in CALL.finditer(clean):
        proc = m.group(1).lower().split(".")[-1]
        if proc not in TEMPLATE_PROCS + SPEC_PROCS:
            continue
        try:
            args = call_arguments(sql, clean, m.end())
        except (SystemExit, ValueError, IndexError):
            # A call left open (published without its closing parenthesis): its arguments
            # still end where the text ends.
            args = call_arguments(sql + ")", clean + ")", m.end())
        strings = [a for a in args if a[0] == "string"]
        if proc == "get_sql_jinja":
            arg = args[0] if args else None
        elif proc in SPEC_PROCS:
            arg = args[1] if len(args) > 1 else (args[0] if args else None)
        else:
            arg = args[2] if len(args) > 2 else None
        if not arg or arg[0] != "string":
            raise SystemExit("oracle: %s call without a string template argument (%d arguments, %d strings)" % (proc, len(args), len(strings)))
        out.append(spec_template(arg[1]) if proc in SPEC_PROCS else arg[1])
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
