/**
 * The editor shows what CI reports: every file of the published corpus (templates others
 * wrote, in their host forms) opened in the language server gets exactly the findings
 * `dcr check` prints for it (code, severity, line, column).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from './harness.js';

const DIR = resolve(__dirname, '../corpus/published');
const DCR = resolve(__dirname, '../../dist/dcr.js');
const LANGUAGE: Record<string, string> = { jinjasql: 'jinjasql', sql: 'sql', yaml: 'yaml' };
const files = readdirSync(DIR)
  .filter(f => /\.(jinjasql|sql|yaml)$/.test(f))
  .sort();

interface CliDiag {
  code: string;
  severity: string;
  line: number;
  column: number;
}

describe('editor and CLI agree on the published corpus', () => {
  let client: TestClient;
  let cli: Map<string, string[]>;
  before(async () => {
    client = await TestClient.start({ settings: { diagnostics: { debounceMs: 0 } } });
    const r = spawnSync(process.execPath, [DCR, 'check', '--format', 'json', ...files], { cwd: DIR, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    const report = JSON.parse(r.stdout) as { files: { path: string; diagnostics: CliDiag[] }[] };
    cli = new Map(report.files.map(f => [f.path, f.diagnostics.map(d => `${d.code} ${d.severity} ${d.line}:${d.column}`).sort()]));
  });
  after(() => client?.kill());

  test('the corpus is there', () => assert.ok(files.length >= 60, `${files.length} files`));

  for (const name of files) {
    test(name, { timeout: 30_000 }, async () => {
      const uri = pathToFileURL(join(DIR, name)).toString();
      await client.open(uri, readFileSync(join(DIR, name), 'utf8'), LANGUAGE[name.split('.').pop()!]);
      const published = await client.waitForLatest(uri);
      const severity = ['', 'error', 'warning', 'information', 'hint'];
      const editor = published.diagnostics.map(d => `${d.code} ${severity[d.severity ?? 1]} ${d.range.start.line + 1}:${d.range.start.character + 1}`).sort();
      assert.deepEqual(editor, cli.get(name) ?? []);
      await client.close(uri);
    });
  }
});
