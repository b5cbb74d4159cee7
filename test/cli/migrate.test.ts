/**
 * `dcr migrate` as a user runs it: the built dist/dcr.js on copies of the examples. Exit 0
 * with no open decision, 1 when the report lists decisions, 2 on usage errors; the written
 * folder passes `dcr check` apart from what the report says was carried over.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DCR = resolve(__dirname, '../../dist/dcr.js');
const roots: string[] = [];
after(() => roots.forEach(r => rmSync(r, { recursive: true, force: true })));

function copyOf(folder: string): string {
  const root = mkdtempSync(join(tmpdir(), 'dcr-migrate-'));
  roots.push(root);
  cpSync(resolve(__dirname, '../..', folder), join(root, 'in'), { recursive: true });
  return root;
}

function dcr(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [DCR, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dcr migrate: exit codes', () => {
  const root = copyOf('examples');
  const cases: { name: string; args: string[]; code: number; stderr?: RegExp }[] = [
    {
      name: "one analysis: its room's wider offering policy is a decision",
      args: ['migrate', '--profile', 'in/cleanrooms.json', '--out', 'one', '--analysis', 'overlap by status'],
      code: 1,
    },
    { name: 'all analyses: decisions listed', args: ['migrate', '--profile', 'in/cleanrooms.json', '--out', 'all'], code: 1 },
    { name: 'no --profile', args: ['migrate', '--out', 'x'], code: 2, stderr: /--profile FILE is required/ },
    { name: 'no --out', args: ['migrate', '--profile', 'in/cleanrooms.json'], code: 2, stderr: /--out DIR is required/ },
    {
      name: 'unknown analysis',
      args: ['migrate', '--profile', 'in/cleanrooms.json', '--out', 'x', '--analysis', 'nope'],
      code: 2,
      stderr: /no analysis 'nope'.*'overlap by status'/,
    },
    {
      name: 'bad format',
      args: ['migrate', '--profile', 'in/cleanrooms.json', '--out', 'x', '--format', 'xml'],
      code: 2,
      stderr: /--format must be text or json/,
    },
    { name: 'unknown flag', args: ['migrate', '--bogus'], code: 2, stderr: /unknown option '--bogus'/ },
  ];
  for (const c of cases) {
    test(`${c.name} -> ${c.code}`, () => {
      const r = dcr(c.args, root);
      assert.equal(r.code, c.code, r.stderr + r.stdout);
      if (c.code === 2) {
        assert.match(r.stderr, /^dcr: [^\n]+\n$/);
        assert.match(r.stderr, c.stderr!);
      } else assert.equal(r.stderr, '');
    });
  }
});

describe('dcr migrate: a clean room with nothing to decide exits 0, and dcr check passes the output', () => {
  const root = copyOf('examples');
  // One room, one template, policies that allow exactly what the analysis uses.
  writeFileSync(
    join(root, 'in', 'clean.json'),
    JSON.stringify({
      api: 'legacy',
      cleanrooms: {
        'Retail Media Clean Room 1': {
          provider: {
            tables: { 'RETAIL_DB.SHARED.CUSTOMERS': ['HASHED_EMAIL', 'STATUS'] },
            joinPolicy: ['RETAIL_DB.SHARED.CUSTOMERS:HASHED_EMAIL'],
            columnPolicy: ['overlap_analysis:RETAIL_DB.SHARED.CUSTOMERS:STATUS'],
          },
          consumer: { tables: { 'BRAND_DB.CRM.CUSTOMERS': ['HASHED_EMAIL'] } },
          templates: ['overlap_analysis'],
        },
      },
      analyses: {
        'overlap by status': {
          template: 'templates/overlap_analysis.jinjasql',
          cleanrooms: ['Retail Media Clean Room 1'],
          arguments: {
            source_table: ['RETAIL_DB.SHARED.CUSTOMERS'],
            my_table: ['BRAND_DB.CRM.CUSTOMERS'],
            dimensions: ['p.STATUS'],
            p_join_col: 'p.HASHED_EMAIL',
            c_join_col: 'c.HASHED_EMAIL',
            where_clause: "p.STATUS <> 'INACTIVE'",
          },
        },
      },
    }),
  );

  test('exit 0, json report, and a clean dcr check of the written folder', () => {
    const r = dcr(['migrate', '--profile', 'in/clean.json', '--out', 'out', '--format', 'json'], root);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.decisions, []);
    assert.deepEqual(
      report.renders.map((x: { equal: boolean }) => x.equal),
      [true],
    );
    assert.equal(report.summary.analysesClean, 1);
    assert.match(readFileSync(join(root, 'out', 'templates', 'overlap_analysis.yaml'), 'utf8'), /^spec_type: template$/m);
    const check = dcr(['check', 'out', '--profile', 'out/cleanrooms.json', '--format', 'json'], root);
    assert.equal(check.code, 0, check.stdout);
    const findings = JSON.parse(check.stdout)
      .files.flatMap((f: { diagnostics: { severity: string; code: string }[] }) => f.diagnostics)
      .filter((d: { severity: string }) => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(findings, []);
  });
});
