"""A JinjaSQL-0.1.8-compatible bind layer for Jinja2 3.1, written from the algorithm in
JinjaSQL 0.1.8's bind rewrite (SqlExtension.filter_stream) (jinjasql 0.1.8 itself does not import under
Jinja2 3.1, so the oracle cannot use it directly).

Behaviour reproduced:
  * every `{{ EXPR }}` becomes `{{ (EXPR)|bind('<name>') }}` at token level unless the last
    token before `}}` is the name `bind`, `inclause` or `sqlsafe`;
  * `<name>` joins the leading name and dot tokens (`source_table`, `col.split`), or
    'bind#0' when the expression does not start with a name; the recorded key gets a
    `_<n>` suffix where n counts every bound value of the render, starting at 1;
  * `bind` returns Markup unchanged, refuses lists and tuples with MissingInClauseException,
    else records the value and emits the placeholder;
  * `sqlsafe` is Markup(value); `inclause` binds each element under 'inclause' and returns
    '(' + ','.join(placeholders) + ')';
  * autoescape is on; every other Environment option keeps Jinja2's default;
  * the DCR policy filters are identity (Markup stays Markup, plain stays plain).
"""
from jinja2 import Environment
from jinja2.ext import Extension
from jinja2.lexer import Token
from markupsafe import Markup

__all__ = ["MissingInClauseException", "make_environment", "render_jinjasql", "inline_literal"]


class MissingInClauseException(Exception):
    pass


POLICY_FILTERS = ("join_policy", "column_policy", "activation_policy", "join_and_column_policy")
NO_BIND_LAST = ("bind", "inclause", "sqlsafe")


class _BindState:
    """Per-render record of the bound values; the environment holds exactly one."""

    def __init__(self):
        self.reset(None)

    def reset(self, placeholder):
        self.params = []  # [(key, value)] in bind order
        self.placeholder = placeholder

    def add(self, key, value):
        if self.placeholder is None:
            # Outside a render (Jinja's compile-time constant folding calls filters on
            # literals): refuse, so `{{ 'x' }}` is bound at render time. jinjasql 0.1.8 gets
            # the same effect because its thread-local bind state only exists during render.
            raise RuntimeError("bind outside a render")
        index = len(self.params) + 1
        self.params.append(("%s_%d" % (key, index), value))
        return self.placeholder(index - 1) if callable(self.placeholder) else self.placeholder


def _param_name(tokens):
    name = ""
    for tok in tokens:
        if tok.type == "name" or tok.type == "dot":
            name += tok.value
        else:
            break
    return name or "bind#0"


class BindExtension(Extension):
    def filter_stream(self, stream):
        for token in stream:
            if token.type != "variable_begin":
                yield token
                continue
            begin = token
            inner = []
            for token in stream:
                if token.type == "variable_end":
                    break
                inner.append(token)
            end = token
            last = inner[-1] if inner else begin
            if last.type == "name" and last.value in NO_BIND_LAST:
                yield begin
                yield from inner
                yield end
                continue
            line = last.lineno
            yield begin
            yield Token(line, "lparen", "(")
            yield from inner
            yield Token(line, "rparen", ")")
            yield Token(line, "pipe", "|")
            yield Token(line, "name", "bind")
            yield Token(line, "lparen", "(")
            yield Token(line, "string", _param_name(inner))
            yield Token(line, "rparen", ")")
            yield end


def make_environment():
    env = Environment(extensions=[BindExtension], autoescape=True)
    state = _BindState()
    env.jinjasql_state = state

    def bind(value, name):
        if isinstance(value, Markup):
            return value
        if isinstance(value, (list, tuple)):
            raise MissingInClauseException(
                "Got a list or tuple. Did you forget to apply '|inclause' to your query?")
        return state.add(name, value)

    def inclause(value):
        return "(" + ",".join(state.add("inclause", v) for v in list(value)) + ")"

    def sqlsafe(value):
        return Markup(value)

    env.filters["bind"] = bind
    env.filters["inclause"] = inclause
    env.filters["sqlsafe"] = sqlsafe
    for name in POLICY_FILTERS:
        env.filters[name] = lambda value: value
    return env


def inline_literal(value):
    """How a bound value shows in the inlined SQL (what get_sql_jinja shows)."""
    if isinstance(value, str):
        return "'" + str(value).replace("'", "''") + "'"
    return str(value)


_PUA_BMP = 6400  # U+E000..U+F8FF


def _sentinel(i):
    # One code point per placeholder, like '?': len(), slicing and case-changing filters see
    # the same text as in a qmark render. Private-use characters are never escaped, never
    # whitespace, and have no case; supplementary PUA-A takes over after the BMP block.
    return chr(0xE000 + i) if i < _PUA_BMP else chr(0xF0000 + i - _PUA_BMP)


def _sentinel_index(ch):
    o = ord(ch)
    if 0xE000 <= o < 0xE000 + _PUA_BMP:
        return o - 0xE000
    if 0xF0000 <= o <= 0xFFFFD:
        return o - 0xF0000 + _PUA_BMP
    return -1


def _to_qmark(text):
    return "".join("?" if _sentinel_index(c) >= 0 else c for c in text)


def render_jinjasql(env, source, context):
    """Returns (query, params, inline_output). Raises what the template raises.

    One render; each bind emits a distinct one-character sentinel. The query replaces every
    sentinel by '?' (so it equals a qmark render); the inline output replaces sentinel i by
    the SQL literal of value i. The value is substituted after rendering, as Snowflake's
    `query % params` does, so filters applied to a placeholder never touch the value.
    A bound string that itself contains a placeholder (`v|bind('x')` bound again) is recorded
    with '?' in its place, as in a qmark render.
    """
    state = env.jinjasql_state
    state.reset(None)
    template = env.from_string(source)
    try:
        state.reset(_sentinel)
        marked = template.render(context)
        params = [(k, _to_qmark(v) if type(v) is str else v) for k, v in state.params]
    finally:
        state.reset(None)
    query = _to_qmark(marked)
    out = []
    for c in marked:
        i = _sentinel_index(c)
        out.append(inline_literal(params[i][1]) if i >= 0 else c)
    return query, params, "".join(out)
