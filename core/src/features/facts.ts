/**
 * What the editor says about names it recognises: filters, tests, reserved variables, loop
 * attributes, tags. Kept as data (vscode-css-languageservice's languageFacts) so hover and
 * completion agree, and so a test can check it covers everything the runtime knows.
 */

export type FilterGroup = 'policy' | 'jinjasql' | 'jinja';

export interface FilterFact {
  name: string;
  group: FilterGroup;
  /** Call form shown as the detail, e.g. `join(d='', attribute=None)`. */
  signature: string;
  /** Markdown, one or two sentences. */
  doc: string;
  /** Rule codes whose docs explain the pitfalls of this filter. */
  rules?: string[];
}

const policy = (name: string, doc: string): FilterFact => ({ name, group: 'policy', signature: name, doc, rules: ['DCR101', 'DCR102', 'DCR104'] });
const jinja = (name: string, signature: string, doc: string): FilterFact => ({ name, group: 'jinja', signature, doc });

export const FILTER_FACTS: readonly FilterFact[] = [
  policy(
    'join_policy',
    "Clean room policy check: the query is rejected unless the column is in the data owner's **join policy**. Passes the value through unchanged (bound stays bound, raw stays raw). Use it on columns in join conditions.",
  ),
  policy(
    'column_policy',
    "Clean room policy check: the query is rejected unless the column is in the data owner's **column (projection) policy**. Passes the value through unchanged. Use it on projected, grouped or filtered columns.",
  ),
  policy(
    'activation_policy',
    "Clean room policy check: the query is rejected unless the column is in the data owner's **activation policy**. Use it on columns an activation template exports.",
  ),
  policy(
    'join_and_column_policy',
    "Clean room policy check: the column must be in the owner's join **or** column policy. Used on whole predicates such as `where_clause`: join conditions are checked against the join policy, other columns against the column policy.",
  ),
  {
    name: 'sqlsafe',
    group: 'jinjasql',
    signature: 'sqlsafe',
    doc: 'JinjaSQL: inserts the value as **raw SQL**, not as a bound literal. Anything the caller passes becomes SQL text, so put a policy filter *after* it (`{{ col | sqlsafe | column_policy }}`).',
    rules: ['DCR103', 'DCR104'],
  },
  {
    name: 'inclause',
    group: 'jinjasql',
    signature: 'inclause',
    doc: 'JinjaSQL: binds every element of a list as its own parameter and writes `(?, ?, …)`. It adds the parentheses itself: write `IN {{ xs | inclause }}`, not `IN ({{ xs | inclause }})`.',
    rules: ['DCR005', 'DCR007'],
  },
  {
    name: 'bind',
    group: 'jinjasql',
    signature: 'bind(name)',
    doc: "JinjaSQL: binds the value as a query parameter. Every `{{ … }}` is bound automatically unless its last filter is `bind`, `inclause` or `sqlsafe`; written by hand it needs a parameter name: `bind('n')`.",
    rules: ['DCR004'],
  },
  jinja('abs', 'abs', 'Absolute value of a number.'),
  jinja('attr', 'attr(name)', 'Gets an attribute of an object (never an item).'),
  jinja('batch', 'batch(linecount, fill_with=None)', 'Splits a sequence into lists of `linecount` items.'),
  jinja('capitalize', 'capitalize', 'First character upper case, the rest lower case.'),
  jinja('center', 'center(width=80)', 'Centers the string in a field of the given width.'),
  jinja('count', 'count', 'Number of items (alias of `length`).'),
  jinja('d', "d(default_value='', boolean=False)", 'Alias of `default`.'),
  jinja('default', "default(default_value='', boolean=False)", 'The value, or `default_value` when it is undefined (or falsy with `boolean=true`).'),
  jinja('dictsort', "dictsort(case_sensitive=False, by='key', reverse=False)", 'Sorts a dict and yields `(key, value)` pairs.'),
  jinja('e', 'e', 'Alias of `escape`.'),
  jinja('escape', 'escape', 'HTML-escapes the string and marks it safe (in JinjaSQL: raw SQL).'),
  jinja('filesizeformat', 'filesizeformat(binary=False)', 'Formats a number of bytes as a human-readable size.'),
  jinja('first', 'first', 'First item of a sequence.'),
  jinja('float', 'float(default=0.0)', 'Converts to a float.'),
  jinja('forceescape', 'forceescape', 'HTML-escapes the string even when it is already safe.'),
  jinja('format', 'format(*args, **kwargs)', 'Printf-style formatting: `"%s-%s" | format(a, b)`.'),
  jinja('groupby', 'groupby(attribute, default=None, case_sensitive=False)', 'Groups a sequence of objects by an attribute.'),
  jinja('indent', 'indent(width=4, first=False, blank=False)', 'Indents every line but the first.'),
  jinja('int', 'int(default=0, base=10)', 'Converts to an integer (the usual guard for numeric arguments).'),
  jinja('items', 'items', 'The `(key, value)` pairs of a mapping.'),
  jinja(
    'join',
    "join(d='', attribute=None)",
    "Joins the items with a separator. The result is bound as one string unless an item is raw SQL; `| join(', ') | sqlsafe` is the usual idiom for raw lists.",
  ),
  jinja('last', 'last', 'Last item of a sequence.'),
  jinja('length', 'length', 'Number of items.'),
  jinja('list', 'list', 'Converts the value to a list.'),
  jinja('lower', 'lower', 'Lower-cases the string.'),
  jinja('map', 'map(filter_or_attribute, *args)', 'Applies a filter (or gets an attribute) on every item.'),
  jinja('max', 'max(case_sensitive=False, attribute=None)', 'Largest item.'),
  jinja('min', 'min(case_sensitive=False, attribute=None)', 'Smallest item.'),
  jinja('pprint', 'pprint', 'Pretty-prints the value (debugging).'),
  jinja('random', 'random', 'A random item of the sequence.'),
  jinja('reject', 'reject(test, *args)', 'Items for which the test fails.'),
  jinja('rejectattr', 'rejectattr(attribute, test, *args)', 'Items whose attribute fails the test.'),
  jinja('replace', 'replace(old, new, count=None)', 'Replaces occurrences of a substring.'),
  jinja('reverse', 'reverse', 'Reverses a string or sequence.'),
  jinja('round', "round(precision=0, method='common')", 'Rounds a number.'),
  jinja('safe', 'safe', 'Marks the string safe: in JinjaSQL it becomes raw SQL, exactly like `sqlsafe`.'),
  jinja('select', 'select(test, *args)', 'Items for which the test succeeds.'),
  jinja('selectattr', 'selectattr(attribute, test, *args)', 'Items whose attribute passes the test.'),
  jinja('slice', 'slice(slices, fill_with=None)', 'Splits a sequence into `slices` columns.'),
  jinja('sort', 'sort(reverse=False, case_sensitive=False, attribute=None)', 'Sorts a sequence.'),
  jinja('string', 'string', 'Converts the value to a string (keeps raw SQL raw).'),
  jinja('striptags', 'striptags', 'Removes markup tags and collapses whitespace.'),
  jinja('sum', 'sum(attribute=None, start=0)', 'Sum of the items.'),
  jinja('title', 'title', 'Title-cases the string.'),
  jinja('tojson', 'tojson(indent=None)', 'Serialises the value as JSON (HTML-safe).'),
  jinja('trim', 'trim(chars=None)', 'Strips leading and trailing whitespace (or the given characters).'),
  jinja('truncate', "truncate(length=255, killwords=False, end='...', leeway=None)", 'Shortens the string to a length.'),
  jinja('unique', 'unique(case_sensitive=False, attribute=None)', 'Items without duplicates.'),
  jinja('upper', 'upper', 'Upper-cases the string.'),
  jinja('urlencode', 'urlencode', 'URL-encodes a string or mapping.'),
  jinja('urlize', 'urlize(trim_url_limit=None, nofollow=False, target=None, rel=None)', 'Turns URLs in text into links.'),
  jinja('wordcount', 'wordcount', 'Number of words.'),
  jinja('wordwrap', 'wordwrap(width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True)', 'Wraps text at a width.'),
  jinja('xmlattr', 'xmlattr(autospace=True)', 'Builds an XML/HTML attribute string from a dict.'),
];

export const FILTERS_BY_NAME: ReadonlyMap<string, FilterFact> = new Map(FILTER_FACTS.map(f => [f.name, f]));

export interface TestFact {
  name: string;
  doc: string;
}

/** Identifier-named tests only: operator aliases (`==`, `<`) are not completed. */
export const TEST_FACTS: readonly TestFact[] = [
  ['defined', 'The variable is defined (the caller passed it).'],
  ['undefined', 'The variable is not defined.'],
  ['none', 'The value is `none`.'],
  ['boolean', 'The value is a boolean.'],
  ['true', 'The value is `true`.'],
  ['false', 'The value is `false`.'],
  ['integer', 'The value is an integer.'],
  ['float', 'The value is a float.'],
  ['number', 'The value is a number.'],
  ['string', 'The value is a string.'],
  ['mapping', 'The value is a dict.'],
  ['sequence', 'The value is a sequence (list, tuple or string).'],
  ['iterable', 'The value can be iterated.'],
  ['callable', 'The value can be called.'],
  ['odd', 'The number is odd.'],
  ['even', 'The number is even.'],
  ['divisibleby', 'The number is divisible by the argument: `x is divisibleby 3`.'],
  ['lower', 'The string is lower case.'],
  ['upper', 'The string is upper case.'],
  ['in', 'The value is contained in the argument: `x is in ["a", "b"]`.'],
  ['sameas', 'The value is the same object as the argument.'],
  ['escaped', 'The value is marked safe (raw SQL in JinjaSQL).'],
  ['eq', 'Equal to the argument (also `equalto`, `==`).'],
  ['equalto', 'Equal to the argument.'],
  ['ne', 'Not equal to the argument (also `!=`).'],
  ['gt', 'Greater than the argument (also `greaterthan`, `>`).'],
  ['greaterthan', 'Greater than the argument.'],
  ['ge', 'Greater than or equal to the argument (also `>=`).'],
  ['lt', 'Less than the argument (also `lessthan`, `<`).'],
  ['lessthan', 'Less than the argument.'],
  ['le', 'Less than or equal to the argument (also `<=`).'],
  ['filter', 'A filter of this name exists.'],
  ['test', 'A test of this name exists.'],
].map(([name, doc]) => ({ name: name!, doc: doc! }));

export const TESTS_BY_NAME: ReadonlyMap<string, TestFact> = new Map(TEST_FACTS.map(t => [t.name, t]));

export interface ReservedFact {
  name: string;
  /** Markdown. */
  doc: string;
  /** How the caller supplies it. */
  shape: 'list' | 'dict' | 'string';
}

export const RESERVED_FACTS: readonly ReservedFact[] = [
  {
    name: 'source_table',
    shape: 'list',
    doc: 'Reserved by the clean room: zero-based list of the tables shared **by other collaborators**. Legacy (P&C): provider tables, fully qualified, from `provider_tables` of `run_analysis`. Collaboration: datasets of linked data offerings (`alias.offering_id.dataset_alias`). Alias them `p`, `p1`, … and use them inside `IDENTIFIER()`. Policies are checked on their columns.',
  },
  {
    name: 'my_table',
    shape: 'list',
    doc: "Reserved by the clean room: zero-based list of the runner's **own** tables. Legacy (P&C): consumer tables from `consumer_tables`. Collaboration: only local data offerings, which are not shared and whose policies are not checked. Alias them `c`, `c1`, ….",
  },
  {
    name: 'privacy',
    shape: 'dict',
    doc: 'Reserved by the clean room: the privacy settings of the user or template, e.g. `privacy.threshold_value`. Templates usually give a fallback with `default()`.',
  },
  {
    name: 'dimensions',
    shape: 'list',
    doc: 'Legacy clean room global: list of alias-qualified columns (`p.STATUS`) to group by. Under the legacy API the column policy is checked on them automatically; newer docs say checks happen only where a policy filter is applied, so filter them (`column_policy`).',
  },
  {
    name: 'measure_column',
    shape: 'list',
    doc: 'Legacy clean room global: list of alias-qualified columns to aggregate. Same policy caveat as `dimensions`: apply `column_policy`.',
  },
  {
    name: 'measure_columns',
    shape: 'list',
    doc: 'Spelling of `measure_column` some docs use: list of alias-qualified columns to aggregate. Apply `column_policy`.',
  },
  {
    name: 'where_clause',
    shape: 'string',
    doc: 'Legacy clean room global: a whole predicate such as `p.EMAIL = c.EMAIL` or `c.status = $$MEMBER$$`. It must be raw SQL and checked: `{{ where_clause | sqlsafe | join_and_column_policy }}`.',
  },
  {
    name: 'preset_tables',
    shape: 'dict',
    doc: "Collaboration: the datasets pinned by the template spec's `preset_tables`, by alias: `IDENTIFIER({{ preset_tables['alias'] }})`. A reserved run argument; its columns cannot take policy filters and its SQL alias must not be `p`, `c`, `pN` or `cN`.",
  },
];

export const RESERVED_BY_NAME: ReadonlyMap<string, ReservedFact> = new Map(RESERVED_FACTS.map(r => [r.name, r]));

export const LOOP_DOC =
  'The loop state of the innermost `{% for %}`: `loop.index`, `loop.first`, `loop.last`, … Write separators as `{% if not loop.last %}, {% endif %}`: punctuation inside `{{ }}` is bound as a string literal.';

export const LOOP_ATTRIBUTES: readonly { name: string; doc: string }[] = [
  ['index', 'Current iteration, counting from 1.'],
  ['index0', 'Current iteration, counting from 0.'],
  ['revindex', 'Iterations left, counting down to 1.'],
  ['revindex0', 'Iterations left, counting down to 0.'],
  ['first', 'True on the first iteration.'],
  ['last', 'True on the last iteration (the usual guard for separators).'],
  ['length', 'Number of items in the sequence.'],
  ['cycle', 'Cycles through its arguments: `loop.cycle("a", "b")`.'],
  ['depth', 'Nesting level in a recursive loop, from 1.'],
  ['depth0', 'Nesting level in a recursive loop, from 0.'],
  ['previtem', 'The item of the previous iteration (undefined on the first).'],
  ['nextitem', 'The item of the next iteration (undefined on the last).'],
  ['changed', 'True when the arguments differ from the previous call: `loop.changed(x)`.'],
].map(([name, doc]) => ({ name: name!, doc: doc! }));

export const GLOBAL_FACTS: readonly { name: string; doc: string }[] = [
  ['range', 'A list of integers: `range(stop)`, `range(start, stop, step)`.'],
  ['namespace', 'A mutable object for state across loop iterations: `{% set ns = namespace(n=0) %}` then `{% set ns.n = ns.n + 1 %}`.'],
  ['dict', 'Builds a dict from keyword arguments.'],
  ['lipsum', 'Lorem-ipsum text.'],
  ['cycler', 'An object cycling through values.'],
  ['joiner', 'A callable that returns its separator on every call but the first.'],
].map(([name, doc]) => ({ name: name!, doc: doc! }));

export interface TagFact {
  name: string;
  doc: string;
}

/** `include`, `import`, `from` and `extends` are left out: templates render without a loader. */
export const TAG_FACTS: readonly TagFact[] = [
  ['if', 'Conditional: `{% if cond %}…{% elif other %}…{% else %}…{% endif %}`.'],
  ['elif', 'Another branch of an `if`.'],
  ['else', 'Fallback branch of an `if`, or of a `for` over an empty sequence.'],
  ['endif', 'Ends an `if`.'],
  ['for', 'Loop: `{% for col in dimensions %}…{% endfor %}`. Assignments inside the body do not leak out of it.'],
  ['endfor', 'Ends a `for`.'],
  ['set', 'Assignment: `{% set x = expr %}` or a captured block `{% set x %}…{% endset %}`.'],
  ['endset', 'Ends a block `set`.'],
  ['macro', 'Reusable fragment: `{% macro name(arg) %}…{% endmacro %}`, called as `{{ name(x) }}`. Its output is raw SQL (not bound again).'],
  ['endmacro', 'Ends a `macro`.'],
  ['call', 'Calls a macro with a body available as `caller()`.'],
  ['endcall', 'Ends a `call`.'],
  ['filter', 'Applies filters to a block of text: `{% filter upper %}…{% endfilter %}`. Bound values inside are not changed.'],
  ['endfilter', 'Ends a `filter` block.'],
  ['with', 'Inner scope with its own variables: `{% with x = 1 %}…{% endwith %}`.'],
  ['endwith', 'Ends a `with`.'],
  ['block', 'Named block (renders in place in a single template).'],
  ['endblock', 'Ends a `block`.'],
  ['raw', 'Outputs its content without interpreting Jinja syntax.'],
  ['endraw', 'Ends a `raw` block.'],
].map(([name, doc]) => ({ name: name!, doc: doc! }));

/** `{% tag %}` -> the tag that ends it. */
export const END_TAG: Readonly<Record<string, string>> = {
  If: 'endif',
  For: 'endfor',
  SetBlock: 'endset',
  Macro: 'endmacro',
  CallBlock: 'endcall',
  FilterBlock: 'endfilter',
  With: 'endwith',
  Block: 'endblock',
};

/** Table alias -> index into source_table (p…) or my_table (c…), per API convention. */
export function aliasIndex(alias: string, api: 'legacy' | 'collaboration'): { list: 'source_table' | 'my_table'; index: number } | null {
  const m = /^([pc])(\d*)$/i.exec(alias);
  if (!m) return null;
  const list = m[1]!.toLowerCase() === 'p' ? 'source_table' : 'my_table';
  if (m[2] === '') return { list, index: 0 };
  const n = Number(m[2]);
  if (api === 'legacy') return { list, index: n };
  // Collaboration numbers from 1: p1 is the first table; p0 is not part of the convention.
  return n === 0 ? null : { list, index: n - 1 };
}
