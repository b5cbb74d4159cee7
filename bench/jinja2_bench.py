#!/usr/bin/python3
"""Times Jinja2 (+ the test tree's JinjaSQL compat layer) on the templates bench/engine.ts
sends on stdin; prints JSON figures on stdout. Run by bench/engine.ts with /usr/bin/python3."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "conformance"))
from jinjasql_compat import make_environment, render_jinjasql  # noqa: E402


def stats(samples):
    s = sorted(samples)
    at = lambda q: s[min(len(s) - 1, int(q * len(s)))]  # noqa: E731
    return {"median": at(0.5), "p95": at(0.95), "n": len(s)}


def measure(fn, iterations, warmup, budget_ms=3000):
    for _ in range(warmup):
        fn()
    samples = []
    start = time.perf_counter()
    while len(samples) < iterations and (len(samples) < 5 or (time.perf_counter() - start) * 1000 < budget_ms):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return stats(samples)


def main():
    req = json.load(sys.stdin)
    out = []
    for t in req["templates"]:
        env = make_environment()
        args = json.loads(t["args"])
        n = t["iterations"]
        warm = max(3, n // 10)
        source = t["template"]
        _, _, inline = render_jinjasql(env, source, args)
        compiled = env.from_string(source)
        state = env.jinjasql_state

        def render():
            state.reset("?")
            compiled.render(args)
            state.reset(None)

        out.append({
            "name": t["name"],
            "parse": measure(lambda: env.parse(source), n, warm),
            # from_string caches nothing without a loader, so each call parses and compiles.
            "compile": measure(lambda: env.from_string(source), max(5, n // 5), 2),
            "render": measure(render, n, warm),
            "outputChars": len(inline),
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
