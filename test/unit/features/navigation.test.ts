/**
 * Definition and references: `‸` is the cursor, `«…»` marks every expected location
 * (for definition: the one declaration).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findDefinition, findReferences } from '../../../core/src/features/navigation.ts';
import { marked, slice } from './helpers.ts';

const definitions: { name: string; src: string; languageId?: string }[] = [
  { name: 'macro call to its definition', src: '{% macro «quote»(x) %}{{ x }}{% endmacro %}SELECT {{ quo‸te(col) }}' },
  { name: 'call block to the macro', src: '{% macro «wrap»() %}{{ caller() }}{% endmacro %}{% call wr‸ap() %}x{% endcall %}' },
  { name: 'set variable', src: '{% set «n» = 3 %}{{ ‸n }}' },
  { name: 'the assignment in effect is the last before the use', src: '{% set n = 1 %}{% set «n» = 2 %}{{ ‸n }}{% set n = 3 %}' },
  { name: 'a macro parameter shadows a template variable', src: '{% set x = 1 %}{% macro m(«x») %}{{ ‸x }}{% endmacro %}' },
  { name: 'loop target', src: '{% for «col» in dimensions %}{{ co‸l }}{% endfor %}' },
  { name: 'a loop-local set', src: '{% set v = 0 %}{% for a in b %}{% set «v» = a %}{{ ‸v }}{% endfor %}' },
  { name: 'after the loop the outer set', src: '{% set «v» = 0 %}{% for a in b %}{% set v = a %}{% endfor %}{{ ‸v }}' },
  { name: 'namespace attribute assignment reads the namespace', src: '{% set «ns» = namespace(n=0) %}{% for a in b %}{% set n‸s.n = ns.n + 1 %}{% endfor %}' },
  { name: 'a macro calling a macro defined below', src: '{% macro a() %}{{ ‸b() }}{% endmacro %}{% macro «b»() %}x{% endmacro %}' },
  { name: 'cursor right after the name', src: '{% set «n» = 3 %}{{ n‸ }}' },
  {
    name: 'inside a worksheet template',
    languageId: 'sql',
    src: "CALL samooha_by_snowflake_local_db.consumer.create_template_request('r', 't', '{% set «sep» = ''x'' %}{{ se‸p }}');",
  },
];

const references: { name: string; src: string; includeDeclaration?: boolean }[] = [
  { name: 'macro definition and calls', src: '{% macro «q»(x) %}{{ x }}{% endmacro %}{{ «q»(a) }} {{ «‸q»(b) }}' },
  { name: 'set variable across its scope', src: '{% set «n» = 1 %}{{ «n» }}{% if x %}{{ «n‸» }}{% endif %}{% set «n» = 2 %}' },
  { name: 'loop-local variable stays in the loop', src: '{% set v = 0 %}{% for a in b %}{% set «v» = a %}{{ «‸v» }}{% endfor %}{{ v }}' },
  { name: 'outer variable skips the shadowing loop body', src: '{% set «‸v» = 0 %}{% for a in b %}{% set v = a %}{{ v }}{% endfor %}{{ «v» }}' },
  { name: 'macro parameter inside its macro only', src: '{% macro m(«x») %}{{ «‸x» }}{% endmacro %}{{ x }}' },
  { name: 'a caller argument: every read', src: '{{ «col» }}{% for c in xs %}{{ «‸col» }}{% endfor %}{% macro m() %}{{ «col» }}{% endmacro %}' },
  { name: 'without the declaration', src: '{% set n = 1 %}{{ «‸n» }}{{ «n» }}', includeDeclaration: false },
];

describe('definition', () => {
  for (const c of definitions) {
    test(c.name, () => {
      const m = marked(c.src, c.languageId);
      const got = findDefinition(m.model, m.cursor);
      assert.deepEqual(
        got.map(s => [s.start, s.end, slice(m, s)]),
        m.spans.map(s => [s.start, s.end, slice(m, s)]),
      );
    });
  }
  test('a caller argument has no definition', () => {
    const m = marked('{{ co‸l }}');
    assert.deepEqual(findDefinition(m.model, m.cursor), []);
  });
  test('SQL text has no definition', () => {
    const m = marked('SEL‸ECT {{ col }}');
    assert.deepEqual(findDefinition(m.model, m.cursor), []);
  });
});

describe('references', () => {
  for (const c of references) {
    test(c.name, () => {
      const m = marked(c.src);
      const got = findReferences(m.model, m.cursor, c.includeDeclaration ?? true);
      assert.deepEqual(
        got.map(s => [s.start, s.end, slice(m, s)]),
        m.spans.map(s => [s.start, s.end, slice(m, s)]),
      );
    });
  }
});
