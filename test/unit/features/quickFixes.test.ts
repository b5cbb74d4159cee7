/** Quick fix data survives the round trip through the editor only when it is well formed. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { quickFixesOf } from '../../../core/src/features/quickFixes.ts';

const edit = (start: number, end: number, newText = 'x') => ({ span: { start, end }, newText });

describe('quick fixes from finding data', () => {
  test('well-formed fixes pass, isPreferred only when true', () => {
    const fixes = quickFixesOf(
      {
        fixes: [
          { title: 'Wrap in IDENTIFIER()', edits: [edit(0, 2, 'IDENTIFIER('), edit(5, 5, ')')], isPreferred: true },
          { title: 'Other', edits: [edit(1, 1)], isPreferred: 'yes' },
        ],
      },
      10,
    );
    assert.deepEqual(fixes, [
      { title: 'Wrap in IDENTIFIER()', edits: [edit(0, 2, 'IDENTIFIER('), edit(5, 5, ')')], isPreferred: true },
      { title: 'Other', edits: [edit(1, 1)] },
    ]);
  });

  const bad: [string, unknown][] = [
    ['no data', undefined],
    ['no fixes', {}],
    ['fixes not a list', { fixes: 'x' }],
    ['no title', { fixes: [{ edits: [edit(0, 1)] }] }],
    ['no edits', { fixes: [{ title: 't', edits: [] }] }],
    ['edit past the end', { fixes: [{ title: 't', edits: [edit(5, 11)] }] }],
    ['reversed span', { fixes: [{ title: 't', edits: [edit(3, 2)] }] }],
    ['fractional offset', { fixes: [{ title: 't', edits: [edit(1.5, 2)] }] }],
    ['overlapping edits', { fixes: [{ title: 't', edits: [edit(0, 4), edit(3, 5)] }] }],
    ['newText not a string', { fixes: [{ title: 't', edits: [{ span: { start: 0, end: 1 }, newText: 3 }] }] }],
  ];
  for (const [name, data] of bad) test(`dropped: ${name}`, () => assert.deepEqual(quickFixesOf(data, 10), []));
});
