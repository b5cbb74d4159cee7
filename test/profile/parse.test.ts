/**
 * parseProfile: every problem is a DCR301 at its exact place in the profile text, the rest of
 * the profile stays usable, and argument values keep Python's int/float distinction.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProfile, templateBaseName } from '../../core/src/index.js';
import { PyDict, PyFloat } from '../../core/src/index.js';

/** Each problem as [severity, the exact profile text it covers]. */
function problems(text: string): [string, string][] {
  return parseProfile(text).problems.map(p => {
    assert.equal(p.code, 'DCR301');
    return [p.severity, text.slice(p.span.start, p.span.end)];
  });
}

const ROOM = `"R": { "provider": { "tables": { "DB.S.T": ["A", "b"] }, "joinPolicy": ["DB.S.T:A"] }, "templates": ["t"] }`;

describe('parseProfile: problems at exact spans', () => {
  const cases: { name: string; text: string; want: [string, string][] }[] = [
    { name: 'valid, with comments and a trailing comma', text: `{ // mine\n "api": "legacy", "cleanrooms": { ${ROOM}, }, }`, want: [] },
    { name: 'syntax error keeps going', text: `{ "api": "legacy" "cleanrooms": {} }`, want: [['error', '"cleanrooms"']] },
    { name: 'root not an object', text: `[1]`, want: [['error', '[1]']] },
    { name: 'bad api', text: `{ "api": "v3" }`, want: [['error', '"v3"']] },
    { name: 'unknown top-level key', text: `{ "apis": "legacy" }`, want: [['warning', '"apis"']] },
    { name: 'clean room not an object', text: `{ "cleanrooms": { "R": 3 } }`, want: [['error', '3']] },
    { name: 'misspelt policy key', text: `{ "cleanrooms": { "R": { "provider": { "joinPolcy": [] } } } }`, want: [['warning', '"joinPolcy"']] },
    {
      name: 'join entry with . for :',
      text: `{ "cleanrooms": { "R": { "provider": { "joinPolicy": ["DB.S.T.A", "DB.S.T:B"] } } } }`,
      want: [['error', '"DB.S.T.A"']],
    },
    {
      name: 'column entry without template',
      text: `{ "cleanrooms": { "R": { "provider": { "columnPolicy": ["DB.S.T:A"] } } } }`,
      want: [['error', '"DB.S.T:A"']],
    },
    { name: 'policy not a list', text: `{ "cleanrooms": { "R": { "consumer": { "columnPolicy": "x:DB.S.T:A" } } } }`, want: [['error', '"x:DB.S.T:A"']] },
    { name: 'table not qualified', text: `{ "cleanrooms": { "R": { "provider": { "tables": { "T": ["A"] } } } } }`, want: [['error', '"T"']] },
    { name: 'column not a string', text: `{ "cleanrooms": { "R": { "provider": { "tables": { "DB.S.T": ["A", 7] } } } } }`, want: [['error', '7']] },
    {
      name: 'analysis with an unknown clean room',
      text: `{ "cleanrooms": { ${ROOM} }, "analyses": { "a": { "template": "t.jinjasql", "cleanrooms": ["R", "Nope"] } } }`,
      want: [['error', '"Nope"']],
    },
    { name: 'analysis without template', text: `{ "cleanrooms": { ${ROOM} }, "analyses": { "a": { "cleanrooms": ["R"] } } }`, want: [['error', '"a"']] },
    { name: 'analysis without cleanrooms', text: `{ "analyses": { "a": { "template": "t.sql" } } }`, want: [['error', '"a"']] },
    {
      name: 'source_table not a list',
      text: `{ "cleanrooms": { ${ROOM} }, "analyses": { "a": { "template": "t.sql", "cleanrooms": ["R"], "arguments": { "source_table": "DB.S.T" } } } }`,
      want: [['error', '"DB.S.T"']],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(problems(c.text), c.want));
});

describe('parseProfile: values', () => {
  test('absent policy keys are unknown (null); present lists are kept, empty too', () => {
    const p = parseProfile(`{ "cleanrooms": { "R": { "provider": { "joinPolicy": [] } } } }`);
    const r = p.cleanrooms.get('R')!;
    assert.deepEqual(r.provider.joinPolicy, []);
    assert.equal(r.provider.columnPolicy, null);
    assert.equal(r.provider.activationPolicy, null);
    assert.equal(r.provider.tables, null);
    assert.equal(r.consumer.joinPolicy, null);
    assert.equal(r.templates, null);
    assert.equal(p.api, 'legacy');
  });

  test('an invalid entry is skipped and the others are kept', () => {
    const p = parseProfile(`{ "cleanrooms": { "R": { "provider": { "joinPolicy": ["bad", "DB.S.T:A"] } } } }`);
    assert.deepEqual(p.cleanrooms.get('R')!.provider.joinPolicy, ['DB.S.T:A']);
  });

  test('arguments keep int versus float and nest as Python values', () => {
    const text = `{ "cleanrooms": { ${ROOM} }, "analyses": { "a": { "template": "x/t.sql.j2", "cleanrooms": ["R"],
      "arguments": { "n": 3, "f": 3.0, "e": 1e2, "l": ["p.A"], "d": { "k": null, "b": true } } } } }`;
    const a = parseProfile(text).analyses.get('a')!;
    assert.equal(a.arguments.get('n'), 3);
    assert.ok(a.arguments.get('f') instanceof PyFloat);
    assert.equal((a.arguments.get('f') as PyFloat).value, 3);
    assert.ok(a.arguments.get('e') instanceof PyFloat);
    assert.deepEqual(a.arguments.get('l'), ['p.A']);
    const d = a.arguments.get('d') as PyDict;
    assert.equal(d.get('k'), null);
    assert.equal(d.get('b'), true);
    assert.equal(a.templateName, 't');
    assert.equal(text.slice(a.argumentSpans.get('n')!.start, a.argumentSpans.get('n')!.end), '"n"');
  });

  test('column names fold to upper case unless quoted', () => {
    const p = parseProfile(`{ "cleanrooms": { "R": { "provider": { "tables": { "DB.S.T": ["a", "\\"Mixed\\""] } } } } }`);
    assert.deepEqual(p.cleanrooms.get('R')!.provider.tables!.get('DB.S.T'), ['A', 'Mixed']);
  });

  test('template base names drop every template extension', () => {
    const cases: [string, string][] = [
      ['templates/overlap.jinjasql', 'overlap'],
      ['a/b.jinja.sql', 'b'],
      ['c.sql.j2', 'c'],
      ['d.sql.jinja', 'd'],
      ['w/e.sql', 'e'],
      ['spec.yaml', 'spec'],
    ];
    for (const [path, name] of cases) assert.equal(templateBaseName(path), name, path);
  });
});
