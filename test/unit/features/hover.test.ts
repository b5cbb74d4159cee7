/** Hover: data-driven cases with a cursor marker; each lists what the markdown must say. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { doHover } from '../../../core/src/features/hover.ts';
import type { FeatureOptions } from '../../../core/src/features/options.ts';
import { marked } from './helpers.ts';

interface Case {
  name: string;
  src: string;
  /** The hovered word (the range the hover reports). */
  word?: string;
  has?: (string | RegExp)[];
  hasNot?: (string | RegExp)[];
  options?: FeatureOptions;
  languageId?: string;
  none?: boolean;
}

const OVERLAP = `SELECT {% for d in dimensions %}{{ d | sqlsafe | column_policy }}{% if not loop.last %}, {% endif %}{% endfor %}, COUNT(*)
FROM IDENTIFIER({{ source_table[0] }}) AS p
JOIN IDENTIFIER({{ my_table[0] }}) AS c ON IDENTIFIER({{ p_join_col | join_policy }}) = IDENTIFIER({{ c_join_col }})
WHERE {{ where_clause | sqlsafe | join_and_column_policy }} AND p.x = {{ threshold }}`;

const at = (needle: string, delta = 0) => {
  const i = OVERLAP.indexOf(needle);
  assert.ok(i >= 0, needle);
  return OVERLAP.slice(0, i + delta) + '‸' + OVERLAP.slice(i + delta);
};

const cases: Case[] = [
  { name: 'policy filter', src: '{{ col | join_p‸olicy }}', word: 'join_policy', has: ['clean room policy filter', 'join policy', 'DCR101'] },
  { name: 'sqlsafe', src: '{{ col | sql‸safe }}', word: 'sqlsafe', has: ['JinjaSQL filter', 'raw SQL', 'DCR103'] },
  { name: 'inclause says it adds parentheses', src: 'IN {{ xs | incl‸ause }}', has: ['parentheses', 'DCR007'] },
  { name: 'bind needs a name', src: "{{ x | b‸ind('n') }}", has: ["bind('n')", 'DCR004'] },
  { name: 'standard filter', src: "{{ xs | jo‸in(', ') }}", word: 'join', has: ['Jinja filter', 'separator'] },
  { name: 'filter in a filter block', src: '{% filter up‸per %}x{% endfilter %}', has: ['Upper-cases'] },
  { name: 'unknown filter', src: '{{ x | fr‸obnicate }}', has: ['unknown filter', 'DCR002'] },
  { name: 'test', src: '{% if x is def‸ined %}{% endif %}', word: 'defined', has: ['Jinja test', 'defined'] },
  { name: 'tag keyword', src: '{% f‸or a in b %}{% endfor %}', word: 'for', has: ['do not leak'] },
  { name: 'loop', src: '{% for a in b %}{{ lo‸op.index }}{% endfor %}', word: 'loop', has: ['innermost'] },
  { name: 'loop attribute', src: '{% for a in b %}{% if not loop.la‸st %},{% endif %}{% endfor %}', word: 'last', has: ['last iteration'] },
  {
    name: 'reserved list with its flow',
    src: at('dimensions %}', 2),
    word: 'dimensions',
    has: [
      'reserved clean room variable',
      'In a sample render',
      '`column_policy` on `dimensions[0]`, `dimensions[1]` (raw SQL), line 1',
      'line 1: raw SQL, not inside `IDENTIFIER()`, after `SELECT`',
    ],
    hasNot: ['`sqlsafe` on'],
  },
  {
    name: 'loop variable over a caller list shows the list flow',
    src: at('d | sqlsafe'),
    word: 'd',
    has: ['loop variable', 'elements of the caller argument `dimensions`', '`column_policy` on `dimensions[0]`'],
  },
  {
    name: 'checked join column bound inside IDENTIFIER',
    src: at('p_join_col', 1),
    word: 'p_join_col',
    has: ['caller-supplied argument', '`join_policy` on `p_join_col` (bound value), line 3', 'line 3: bound string literal inside `IDENTIFIER()`, after `ON`'],
    hasNot: ['DCR101'],
  },
  {
    name: 'unchecked column inside IDENTIFIER warns',
    src: at('c_join_col', 1),
    word: 'c_join_col',
    has: ['**Policy checks**: none', 'inside `IDENTIFIER()`', 'DCR101'],
  },
  {
    name: 'bound value compared in WHERE is not a column',
    src: at('threshold', 1),
    has: ['bound string literal, not inside `IDENTIFIER()`, after `WHERE`'],
    hasNot: ['DCR101'],
  },
  { name: 'where_clause', src: at('where_clause', 1), has: ['whole predicate', '`join_and_column_policy` on `where_clause` (raw SQL)'] },
  { name: 'restricted mode does not render', src: at('p_join_col', 1), options: { allowRender: false }, has: ['Restricted Mode'], hasNot: ['sample render'] },
  { name: 'a failed render says could not verify', src: '{{ ‸x | sqlsafe }} {{ 1 / 0 }}', has: ['**Could not verify**', 'ZeroDivisionError'] },
  { name: 'syntax errors say could not verify', src: '{{ ‸x }} {% if %}', has: ['**Could not verify**', 'syntax errors'] },
  { name: 'an argument only in logic lands nowhere', src: '{% if fl‸ag %}SELECT 1{% endif %}', has: ['nowhere'] },
  { name: 'set variable', src: '{% set n = 3 %}{{ ‸n }}', word: 'n', has: ['template variable, set at line 1'] },
  { name: 'set inside a loop is local', src: '{% for a in b %}{% set ‸n = a %}{% endfor %}', has: ['local to the enclosing `for`', 'namespace()'] },
  { name: 'assigning a reserved name', src: '{% set dimensi‸ons = [] %}', has: ['reserved', 'DCR112'] },
  { name: 'macro call', src: '{% macro q(col, alias="p") %}{{ col }}{% endmacro %}{{ ‸q(x) }}', word: 'q', has: ['{% macro q(col, alias="p") %}', 'raw SQL'] },
  { name: 'macro parameter', src: '{% macro q(col) %}{{ co‸l }}{% endmacro %}', has: ['parameter of macro `q`'] },
  {
    name: 'legacy alias p1',
    src: 'FROM IDENTIFIER({{ source_table[1] }}) AS p‸1',
    word: 'p1',
    has: ['`source_table[1]`', 'legacy (P&C)', 'Collaboration convention it means `source_table[0]`', 'DCR111'],
  },
  {
    name: 'collaboration alias p1',
    src: 'SELECT p‸1.x',
    options: { api: 'collaboration' },
    has: ['table alias for `source_table[0]`', 'legacy (P&C) convention it means `source_table[1]`'],
  },
  { name: 'consumer alias under collaboration', src: 'SELECT ‸c.x', options: { api: 'collaboration' }, has: ['`my_table[0]`', 'does not check policies'] },
  {
    name: 'p0 is not a collaboration alias',
    src: 'SELECT p‸0.x',
    options: { api: 'collaboration' },
    has: ['not an alias of the Collaboration convention', '`source_table[0]`'],
  },
  { name: 'plain SQL words are not aliases', src: 'SELECT COU‸NT(*) FROM t', none: true },
  {
    name: 'rule links use the given base',
    src: '{{ x | sql‸safe }}',
    options: { ruleDocsUrl: c => `https://docs.example/${c}` },
    has: ['](https://docs.example/DCR103)'],
  },
  {
    name: 'a template inside a worksheet, after a quoted-quote escape',
    languageId: 'sql',
    src: "CALL samooha_by_snowflake_local_db.consumer.create_template_request('room', 'tpl', 'SELECT ''a'', {{ co‸l | sqlsafe | column_policy }} FROM IDENTIFIER({{ source_table[0] }}) AS p');",
    word: 'col',
    has: ['caller-supplied argument', '`column_policy` on `col` (raw SQL)'],
  },
  { name: 'outside any template', languageId: 'sql', src: 'SELECT 1 ‸FROM t;', none: true },
];

describe('hover', () => {
  for (const c of cases) {
    test(c.name, () => {
      const m = marked(c.src, c.languageId);
      assert.ok(m.cursor >= 0, 'case needs a cursor');
      const hover = doHover(m.model, m.cursor, { allowRender: true, ...c.options });
      if (c.none) return assert.equal(hover, null);
      assert.ok(hover, 'expected a hover');
      if (c.word) assert.equal(m.text.slice(hover.span.start, hover.span.end), c.word);
      for (const h of c.has ?? []) {
        if (typeof h === 'string') assert.ok(hover.contents.includes(h), `missing ${JSON.stringify(h)} in:\n${hover.contents}`);
        else assert.match(hover.contents, h);
      }
      for (const h of c.hasNot ?? []) {
        if (typeof h === 'string') assert.ok(!hover.contents.includes(h), `unexpected ${JSON.stringify(h)} in:\n${hover.contents}`);
        else assert.doesNotMatch(hover.contents, h);
      }
    });
  }

  test('hovering two arguments of one model renders once', () => {
    const m = marked(OVERLAP);
    const a = doHover(m.model, OVERLAP.indexOf('p_join_col') + 1, { allowRender: true });
    const t0 = performance.now();
    const b = doHover(m.model, OVERLAP.indexOf('c_join_col') + 1, { allowRender: true });
    assert.ok(a && b);
    // A second render would cost milliseconds; the cached one is a lookup.
    assert.ok(performance.now() - t0 < 50);
  });
});
