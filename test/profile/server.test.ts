/**
 * The language server finds the nearest cleanrooms.json, re-checks open templates when it
 * changes (no restart), treats an open unsaved profile buffer as the truth, and publishes
 * the profile's own findings on it. Every wait is for a publish that follows the action.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient } from '../lsp/harness.js';

const T = { timeout: 20_000 };
const TEMPLATE = 'SELECT IDENTIFIER({{ col | column_policy }}) AS x\nFROM IDENTIFIER({{ source_table[0] }}) AS p';

function profile(columnPolicy: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      cleanrooms: { R: { provider: { tables: { 'D.S.T': ['A', 'B'] }, joinPolicy: ['D.S.T:A'], columnPolicy }, templates: ['t'] } },
      analyses: { a: { template: 'templates/t.jinjasql', cleanrooms: ['R'], arguments: { source_table: ['D.S.T'], col: 'p.B' } } },
      ...extra,
    },
    null,
    2,
  );
}

const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map(d => String(d.code));

describe('language server with a profile', () => {
  const clients: TestClient[] = [];
  const roots: string[] = [];
  after(() => {
    clients.forEach(c => c.kill());
    roots.forEach(r => rmSync(r, { recursive: true, force: true }));
  });

  test('profile on disk, saved change, open buffer and its own diagnostics', T, async () => {
    const root = mkdtempSync(join(tmpdir(), 'dcr-lsp-profile-'));
    roots.push(root);
    mkdirSync(join(root, 'templates'));
    const profilePath = join(root, 'cleanrooms.json');
    writeFileSync(profilePath, profile([]));
    writeFileSync(join(root, 'templates', 't.jinjasql'), TEMPLATE);
    const templateUri = pathToFileURL(join(root, 'templates', 't.jinjasql')).toString();
    const profileUri = pathToFileURL(profilePath).toString();

    const c = await TestClient.start();
    clients.push(c);
    const after = (uri: string, pred: (p: PublishDiagnosticsParams) => boolean) => {
      const mark = c.published.length;
      return c.waitForDiagnostics(uri, p => c.published.indexOf(p) >= mark && pred(p));
    };

    // 1. Found by walking up from templates/: B is not in the (empty) column policy.
    const first = after(templateUri, p => codes(p).includes('DCR302'));
    await c.open(templateUri, TEMPLATE);
    const d = (await first).diagnostics.find(x => x.code === 'DCR302')!;
    assert.deepEqual([d.range.start.line, TEMPLATE.split('\n')[0]!.slice(d.range.start.character, d.range.end.character)], [0, '| column_policy']);

    // 2. The profile is saved allowing B: the file watcher's event re-checks the template.
    const cleared = after(templateUri, p => !codes(p).includes('DCR302'));
    writeFileSync(profilePath, profile(['t:D.S.T:B']));
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: profileUri, type: 2 }] });
    await cleared;

    // 3. An unsaved edit in the open profile buffer is the truth: B is refused again, and the
    //    profile gets its own findings (an entry naming a column the table does not have).
    const edited = profile(['t:D.S.T:ZZZ']);
    const again = after(templateUri, p => codes(p).includes('DCR302'));
    const own = after(profileUri, p => codes(p).includes('DCR308'));
    await c.open(profileUri, edited, 'json');
    await again;
    const mine = (await own).diagnostics;
    assert.deepEqual(
      mine.map(x => x.code),
      ['DCR308', 'DCR302'],
      JSON.stringify(mine),
    );
    const line = edited.split('\n')[mine[0]!.range.start.line]!;
    assert.equal(line.slice(mine[0]!.range.start.character, mine[0]!.range.end.character), '"t:D.S.T:ZZZ"');

    // 4. Closing the buffer falls back to the saved file (which allows B).
    const back = after(templateUri, p => !codes(p).includes('DCR302'));
    await c.close(profileUri);
    await back;
  });
});
