/** Document symbols: the outline as an indented list of `kind name`, plus exact ranges. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findDocumentSymbols, type DocumentSymbolData } from '../../../core/src/features/symbols.ts';
import { marked } from './helpers.ts';

function outline(symbols: DocumentSymbolData[], depth = 0): string[] {
  return symbols.flatMap(s => [`${'  '.repeat(depth)}${s.kind} ${s.name}${s.detail ? ` — ${s.detail}` : ''}`, ...outline(s.children, depth + 1)]);
}

function assertNested(symbols: DocumentSymbolData[], parent?: DocumentSymbolData): void {
  for (const s of symbols) {
    // LSP requires selectionRange inside range, and children inside their parent.
    assert.ok(s.span.start <= s.selectionSpan.start && s.selectionSpan.end <= s.span.end, `${s.name} selection outside range`);
    if (parent) assert.ok(parent.span.start <= s.span.start && s.span.end <= parent.span.end, `${s.name} outside ${parent.name}`);
    assertNested(s.children, s);
  }
}

describe('document symbols', () => {
  test('a template file: macros with parameters, blocks, sets and loops, nested', () => {
    const m = marked(`{% macro q(col, alias='p') %}IDENTIFIER({{ col }}){% endmacro %}
{% set threshold = privacy.threshold_value | default(5) %}
{% block body %}
SELECT {% for d in dimensions %}{% set sep = ',' %}{{ d | sqlsafe }}{% endfor %}
{% if x %}{% set inner %}a{% endset %}{% endif %}
{% endblock %}`);
    const symbols = findDocumentSymbols(m.model);
    assert.deepEqual(outline(symbols), [
      "macro q — (col, alias='p')",
      '  variable col — parameter',
      '  variable alias — parameter',
      'variable threshold — privacy.threshold_value | default(5)',
      'block body — block',
      '  loop for d in dimensions',
      "    variable sep — ','",
      '  variable inner — block set',
    ]);
    assertNested(symbols);
    const q = symbols[0]!;
    assert.equal(m.text.slice(q.selectionSpan.start, q.selectionSpan.end), 'q');
    const body = symbols[2]!;
    assert.equal(m.text.slice(body.selectionSpan.start, body.selectionSpan.end), 'body');
    assert.equal(m.text.slice(body.children[0]!.selectionSpan.start, body.children[0]!.selectionSpan.end), 'd');
  });

  test('a worksheet: one container per embedded template, named by the template name', () => {
    const m = marked(
      `CALL samooha_by_snowflake_local_db.provider.add_custom_sql_template('room', 'overlap', $$
{% set n = 1 %}SELECT {{ n }}$$);
CALL samooha_by_snowflake_local_db.consumer.create_template_request('room', 'second', '{% macro m() %}x{% endmacro %}');`,
      'sql',
    );
    const symbols = findDocumentSymbols(m.model);
    assert.deepEqual(outline(symbols), [
      "template overlap — add_custom_sql_template('overlap')",
      '  variable n — 1',
      "template second — create_template_request('second')",
      '  macro m — ()',
    ]);
    assertNested(symbols);
    const second = symbols[1]!;
    assert.equal(m.text.slice(second.selectionSpan.start, second.selectionSpan.end), 'second');
    const macro = second.children[0]!;
    assert.equal(m.text.slice(macro.selectionSpan.start, macro.selectionSpan.end), 'm');
  });

  test('a broken template still has an outline', () => {
    const m = marked('{% macro m(a) %}{{ a }}\n{% set x = %}');
    assert.deepEqual(outline(findDocumentSymbols(m.model)).slice(0, 2), ['macro m — (a)', '  variable a — parameter']);
  });
});
