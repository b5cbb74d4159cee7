/**
 * The server's small pure pieces, without a process: protocol translation, settings
 * normalisation, the model cache and status derivation.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Connection } from 'vscode-languageserver';
import { toDiagnostic } from '../../server/src/diagnostics.js';
import { normalizeSettings, DEFAULT_SETTINGS } from '../../server/src/settings.js';
import { ModelCache } from '../../server/src/modelCache.js';
import { StatusReporter, UNTRUSTED_MESSAGE } from '../../server/src/status.js';
import { LineIndex } from '../../core/src/index.js';
import type { Finding } from '../../core/src/index.js';

describe('toDiagnostic', () => {
  const text = 'ab\n😀cd\r\nef';
  const lines = new LineIndex(text);
  const base: Finding = { code: 'DCR101', severity: 'warning', message: 'm', span: { start: 5, end: 7 } };

  for (const [severity, lsp] of [
    ['error', 1],
    ['warning', 2],
    ['information', 3],
    ['hint', 4],
  ] as const) {
    test(`severity ${severity} -> ${lsp}`, () => {
      assert.equal(toDiagnostic({ ...base, severity }, lines, 'file:///x').severity, lsp);
    });
  }

  test('UTF-16 range, source, code link, data and related information', () => {
    const d = toDiagnostic({ ...base, data: { fix: 'wrap' }, related: [{ span: { start: 9, end: 11 }, message: 'from here' }] }, lines, 'file:///x');
    assert.deepEqual(d.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 4 } });
    assert.equal(d.source, 'clean-room');
    assert.equal(d.code, 'DCR101');
    assert.equal(d.codeDescription?.href, 'https://github.com/clean-room-templates/clean-room-templates/blob/main/docs/rules/DCR101.md');
    assert.deepEqual(d.data, { fix: 'wrap' });
    assert.deepEqual(d.relatedInformation, [
      { location: { uri: 'file:///x', range: { start: { line: 2, character: 0 }, end: { line: 2, character: 2 } } }, message: 'from here' },
    ]);
  });

  test('no data and no related: the keys are absent, not empty', () => {
    const d = toDiagnostic(base, lines, 'file:///x');
    assert.equal('data' in d, false);
    assert.equal('relatedInformation' in d, false);
  });
});

describe('normalizeSettings', () => {
  const cases: { name: string; raw: unknown; expected: typeof DEFAULT_SETTINGS }[] = [
    { name: 'nothing', raw: undefined, expected: DEFAULT_SETTINGS },
    { name: 'null', raw: null, expected: DEFAULT_SETTINGS },
    {
      name: 'everything set',
      raw: { api: 'collaboration', rules: { severity: { DCR101: 'off', DCR001: 'hint' } }, diagnostics: { debounceMs: 10 } },
      expected: { api: 'collaboration', severities: { DCR101: 'off', DCR001: 'hint' }, debounceMs: 10 },
    },
    {
      name: 'junk values dropped',
      raw: { api: 'v3', rules: { severity: { DCR101: 'loud', DCR102: 3 } }, diagnostics: { debounceMs: 'x' } },
      expected: DEFAULT_SETTINGS,
    },
    { name: 'debounce clamped high', raw: { diagnostics: { debounceMs: 1e9 } }, expected: { ...DEFAULT_SETTINGS, debounceMs: 5000 } },
    { name: 'debounce clamped low', raw: { diagnostics: { debounceMs: -5 } }, expected: { ...DEFAULT_SETTINGS, debounceMs: 0 } },
    { name: 'NaN debounce', raw: { diagnostics: { debounceMs: NaN } }, expected: DEFAULT_SETTINGS },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(normalizeSettings(c.raw), { ...c.expected }));
});

describe('ModelCache', () => {
  const doc = (uri: string, version: number, text = 'SELECT {{ x }}') => TextDocument.create(uri, 'jinjasql', version, text);

  test('one model per version: same version reuses, a new version re-parses', () => {
    const cache = new ModelCache();
    const a = cache.get(doc('file:///a', 1));
    assert.equal(cache.get(doc('file:///a', 1)), a);
    const b = cache.get(doc('file:///a', 2, 'SELECT {{ y }}'));
    assert.notEqual(b, a);
    assert.equal(b.text, 'SELECT {{ y }}');
    assert.equal(cache.size, 1);
  });

  test('evicts the least recently used beyond its size', () => {
    const cache = new ModelCache(2);
    const a = cache.get(doc('file:///a', 1));
    cache.get(doc('file:///b', 1));
    cache.get(doc('file:///a', 1)); // a is now most recent
    cache.get(doc('file:///c', 1)); // evicts b
    assert.equal(cache.size, 2);
    assert.equal(cache.get(doc('file:///a', 1)), a);
  });
});

describe('StatusReporter', () => {
  function reporter() {
    const sent: unknown[] = [];
    const connection = { sendNotification: (_m: string, p: unknown) => (sent.push(p), Promise.resolve()) } as unknown as Connection;
    return { r: new StatusReporter(connection), sent };
  }

  test('busy wins, then failures, then restricted mode; only changes are sent', () => {
    const { r, sent } = reporter();
    r.setTrusted(false);
    r.setTrusted(false);
    r.setBusy('u', true);
    r.setFailed('u', 'boom');
    r.setBusy('u', false);
    r.forget('u');
    r.setTrusted(true);
    assert.deepEqual(sent, [
      { state: 'degraded', message: UNTRUSTED_MESSAGE },
      { state: 'busy' },
      { state: 'degraded', message: 'boom' },
      { state: 'degraded', message: UNTRUSTED_MESSAGE },
      { state: 'ready' },
    ]);
  });
});
