/** The hover and completion data cover everything the runtime can actually run. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FILTERS, TESTS } from '../../../core/src/jinja/runtime/index.ts';
import { POLICY_FILTERS } from '../../../core/src/jinja/evaluate.ts';
import { FILTERS_BY_NAME, TESTS_BY_NAME, aliasIndex } from '../../../core/src/features/facts.ts';

describe('facts', () => {
  test('every runtime filter, JinjaSQL filter and policy filter is documented', () => {
    const missing = [...FILTERS.keys(), ...POLICY_FILTERS, 'sqlsafe', 'inclause', 'bind'].filter(n => !FILTERS_BY_NAME.has(n));
    assert.deepEqual(missing, []);
  });

  test('every identifier-named runtime test is documented', () => {
    const missing = [...TESTS.keys()].filter(n => /^[a-z_]+$/.test(n) && !TESTS_BY_NAME.has(n));
    assert.deepEqual(missing, []);
  });

  test('alias conventions', () => {
    const cases: [string, 'legacy' | 'collaboration', string | null][] = [
      ['p', 'legacy', 'source_table[0]'],
      ['p0', 'legacy', 'source_table[0]'],
      ['p1', 'legacy', 'source_table[1]'],
      ['c2', 'legacy', 'my_table[2]'],
      ['p', 'collaboration', 'source_table[0]'],
      ['p1', 'collaboration', 'source_table[0]'],
      ['p3', 'collaboration', 'source_table[2]'],
      ['p0', 'collaboration', null],
      ['q1', 'legacy', null],
    ];
    for (const [alias, api, want] of cases) {
      const got = aliasIndex(alias, api);
      assert.equal(got ? `${got.list}[${got.index}]` : null, want, `${alias} (${api})`);
    }
  });
});
