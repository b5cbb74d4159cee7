/** Completion: the context decides the list; `‸` is the cursor. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { doComplete } from '../../../core/src/features/completion.ts';
import { marked } from './helpers.ts';

interface Case {
  name: string;
  src: string;
  /** Labels that must be offered, in this relative order. */
  first?: string[];
  has?: string[];
  hasNot?: string[];
  /** The text the chosen item replaces. */
  replaces?: string;
  none?: boolean;
  languageId?: string;
}

const cases: Case[] = [
  {
    name: 'filters after a pipe, policy filters first',
    src: 'SELECT {{ col | ‸ }}',
    first: ['activation_policy', 'column_policy', 'join_and_column_policy', 'join_policy', 'bind', 'inclause', 'sqlsafe', 'abs'],
    has: ['default', 'upper'],
  },
  { name: 'a half-typed filter is replaced', src: 'SELECT {{ col | jo‸', has: ['join_policy', 'join'], replaces: 'jo' },
  { name: 'filters in a filter block', src: '{% filter ‸ %}x{% endfilter %}', has: ['upper'] },
  { name: 'filters on a block set', src: '{% set x | ‸ %}x{% endset %}', has: ['trim'] },
  { name: 'tests after is', src: '{% if x is ‸ %}{% endif %}', has: ['defined', 'none', 'divisibleby'], hasNot: ['==', 'join_policy'] },
  { name: 'tests after is not', src: '{% if x is not ‸ %}{% endif %}', has: ['defined'] },
  {
    name: 'tags after {%, the open blocks end tags first',
    src: '{% if x %}{% for a in b %}{% ‸',
    first: ['endfor', 'endif', 'block'],
    hasNot: ['include', 'import', 'extends'],
  },
  { name: 'tags right after {% with no space', src: '{%‸', has: ['if', 'for', 'set', 'macro'] },
  {
    name: 'loop attributes',
    src: '{% for a in b %}{{ loop.‸ }}{% endfor %}',
    first: ['index', 'index0', 'revindex'],
    has: ['last', 'length'],
    hasNot: ['dimensions'],
  },
  { name: 'attributes of anything else are not guessed', src: '{{ privacy.‸ }}', none: true },
  {
    name: 'names in scope, then arguments, then reserved variables',
    src: '{% set t = 1 %}{% macro m(a) %}{% endmacro %}{{ ‸ }} {{ arg1 }} {{ dimensions }}',
    first: ['m', 't', 'arg1', 'dimensions', 'my_table', 'range'],
    hasNot: ['a', 'loop'],
  },
  { name: 'a word being typed is not offered as an argument', src: '{{ dim‸ }}', has: ['dimensions'], hasNot: ['dim'], replaces: 'dim' },
  { name: 'loop and the loop target inside a for', src: '{% for col in dimensions %}{{ ‸ }}{% endfor %}', first: ['col', 'loop'] },
  { name: 'macro parameters and caller inside a macro', src: '{% macro m(a) %}{{ ‸ }}{% endmacro %}', has: ['a', 'm', 'caller'] },
  { name: 'a loop-local set is not visible after the loop', src: '{% for x in xs %}{% set inner = x %}{% endfor %}{{ ‸ }}', hasNot: ['inner', 'x', 'loop'] },
  { name: 'expression after {% if', src: '{% if ‸', has: ['dimensions'], hasNot: ['endif'] },
  { name: 'expression after for … in', src: '{% for a in ‸', has: ['source_table'] },
  { name: 'after an operand nothing', src: '{{ x ‸ }}', none: true },
  { name: 'the target of a for is a new name', src: '{% for ‸', none: true },
  { name: 'the target of a set is a new name', src: '{% set ‸', none: true },
  { name: 'SQL outside Jinja gets nothing', src: 'SELECT ‸ FROM t', none: true },
  { name: 'inside a string nothing', src: "{{ 'ab‸' }}", none: true },
  { name: 'inside a comment nothing', src: '{# ‸ #}', none: true },
  { name: 'after a closed tag nothing', src: '{{ x }} ‸', none: true },
  {
    name: 'inside a worksheet template',
    languageId: 'sql',
    src: "CALL samooha_by_snowflake_local_db.provider.add_custom_sql_template('room', 'tpl', $$SELECT {{ c | ‸ }}$$);",
    has: ['column_policy'],
  },
];

describe('completion', () => {
  for (const c of cases) {
    test(c.name, () => {
      const m = marked(c.src, c.languageId);
      const result = doComplete(m.model, m.cursor);
      if (c.none) return assert.equal(result, null, JSON.stringify(result?.items.map(i => i.label)));
      assert.ok(result, 'expected completions');
      const labels = [...result.items].sort((a, b) => a.sortText.localeCompare(b.sortText)).map(i => i.label);
      for (const l of [...(c.first ?? []), ...(c.has ?? [])]) assert.ok(labels.includes(l), `missing ${l} in ${labels.join(' ')}`);
      for (const l of c.hasNot ?? []) assert.ok(!labels.includes(l), `unexpected ${l}`);
      if (c.first) {
        const idx = c.first.map(l => labels.indexOf(l));
        assert.deepEqual(
          idx,
          [...idx].sort((a, b) => a - b),
          `order: ${labels.join(' ')}`,
        );
      }
      assert.equal(m.text.slice(result.span.start, result.span.end), c.replaces ?? '');
    });
  }

  test('DCR filters carry documentation', () => {
    const m = marked('{{ x | ‸');
    const join = doComplete(m.model, m.cursor)!.items.find(i => i.label === 'join_policy')!;
    assert.match(join.documentation ?? '', /join policy/);
    assert.match(join.detail ?? '', /clean room policy filter/);
  });
});
