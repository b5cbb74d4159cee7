/**
 * The owners of shared knowledge in core: the settings model (editor and CLI read the same
 * keys), profile discovery (one walk, one cache), and the one list of file kinds.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ancestorDirs,
  effectiveApi,
  fileKindOf,
  isProfilePath,
  nearestProfile,
  pathFromProfile,
  ProfileLocator,
  settingsFromVscodeJson,
  templateBaseName,
} from '../../core/src/index.js';

describe('settings from .vscode/settings.json', () => {
  const cases: { name: string; text: string; api: string; severities: Record<string, string>; problem?: boolean }[] = [
    {
      name: 'flat dotted keys, as VS Code writes them',
      text: '{ "cleanRoomTemplates.api": "collaboration", "cleanRoomTemplates.rules.severity": { "DCR101": "warning", "DCR106": "off" } }',
      api: 'collaboration',
      severities: { DCR101: 'warning', DCR106: 'off' },
    },
    {
      name: 'nested section, comments and a trailing comma',
      text: '// mine\n{ "cleanRoomTemplates": { "api": "legacy", "rules": { "severity": { "DCR2": "error", } } }, }',
      api: 'legacy',
      severities: { DCR2: 'error' },
    },
    {
      name: 'unknown levels and other extensions are ignored',
      text: '{ "cleanRoomTemplates.rules.severity": { "DCR101": "loud" }, "editor.tabSize": 2 }',
      api: 'legacy',
      severities: {},
    },
    { name: 'not JSON: the defaults, and a problem to show', text: '{ "cleanRoomTemplates.api": ', api: 'legacy', severities: {}, problem: true },
  ];
  assert.ok(cases.length >= 4);
  for (const c of cases) {
    test(c.name, () => {
      const r = settingsFromVscodeJson(c.text);
      assert.equal(r.settings.api, c.api);
      assert.deepEqual(r.settings.severities, c.severities);
      assert.equal(r.problem !== undefined, !!c.problem);
    });
  }

  test("a profile's own api wins over the setting; without one the setting applies", () => {
    assert.equal(effectiveApi('legacy', { api: 'collaboration', apiExplicit: true }), 'collaboration');
    assert.equal(effectiveApi('collaboration', { api: 'legacy' }), 'collaboration');
    assert.equal(effectiveApi(undefined, null), 'legacy');
  });
});

describe('profile discovery', () => {
  test('ancestors of POSIX and Windows folders, nearest first, root included', () => {
    assert.deepEqual(ancestorDirs('/w/a/b'), ['/w/a/b', '/w/a', '/w', '/']);
    assert.deepEqual(ancestorDirs('C:\\w\\a'), ['C:\\w\\a', 'C:\\w', 'C:\\']);
  });

  test('the nearest profile wins, and the probe is asked once per folder', async () => {
    const exists = new Set(['/w/cleanrooms.json', '/w/a/b/cleanrooms.json']);
    const asked: string[] = [];
    const locator = new ProfileLocator(p => (asked.push(p), exists.has(p)));
    assert.equal(await locator.find('/w/a/b/c'), '/w/a/b/cleanrooms.json');
    assert.equal(await locator.find('/w/a'), '/w/cleanrooms.json');
    assert.equal(await locator.find('/w/a/b/c'), '/w/a/b/cleanrooms.json');
    assert.equal(await locator.find('/elsewhere'), null);
    assert.deepEqual(asked, [
      '/w/a/b/c/cleanrooms.json',
      '/w/a/b/cleanrooms.json',
      '/w/a/cleanrooms.json',
      '/w/cleanrooms.json',
      '/elsewhere/cleanrooms.json',
      '/cleanrooms.json',
    ]);
    // A profile that appears later is found once the cache is dropped.
    exists.add('/elsewhere/cleanrooms.json');
    assert.equal(await locator.find('/elsewhere'), null);
    locator.forget();
    assert.equal(await locator.find('/elsewhere'), '/elsewhere/cleanrooms.json');
  });

  test('the one-shot synchronous lookup walks the same folders', () => {
    const exists = new Set(['/w/cleanrooms.json']);
    assert.equal(
      nearestProfile('/w/a/b', p => exists.has(p)),
      '/w/cleanrooms.json',
    );
    assert.equal(
      nearestProfile('/elsewhere', p => exists.has(p)),
      null,
    );
  });

  test('paths relative to the profile folder, with forward slashes', () => {
    assert.equal(pathFromProfile('/w/cleanrooms.json', '/w/templates/a.jinjasql'), 'templates/a.jinjasql');
    assert.equal(pathFromProfile('C:\\w\\cleanrooms.json', 'c:\\w\\t\\a.sql'), 't/a.sql');
    assert.equal(pathFromProfile('/w/p/cleanrooms.json', '/w/t/a.sql'), '../t/a.sql');
  });

  test('profile paths and URIs', () => {
    for (const yes of ['cleanrooms.json', '/w/CleanRooms.json', 'file:///w/cleanrooms.json?x=1', 'C:\\w\\cleanrooms.json']) assert.ok(isProfilePath(yes), yes);
    for (const no of ['/w/cleanrooms.json.bak', '/w/mycleanrooms.json']) assert.ok(!isProfilePath(no), no);
  });
});

describe('file kinds', () => {
  const cases: [string, string | null, string][] = [
    ['a.jinjasql', 'template', 'a'],
    ['dir/b.JINJA.SQL', 'template', 'b'],
    ['c.sql.j2', 'template', 'c'],
    ['d.sql.jinja', 'template', 'd'],
    ['e.sql', 'worksheet', 'e'],
    ['f.yaml', 'spec', 'f'],
    ['g.yml', 'spec', 'g'],
    ['h.json', null, 'h.json'],
  ];
  for (const [name, kind, base] of cases) {
    test(name, () => {
      assert.equal(fileKindOf(name), kind);
      assert.equal(templateBaseName(name), base);
    });
  }
});
