// Snippets must teach the DCR idioms (bound values, IDENTIFIER, policy filters after sqlsafe), and the cleanrooms.json
// schema must accept exactly the documented shape (docs/architecture.md), since VS Code validates users' files with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const readJson = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8'));

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

/** What the user gets when accepting every default: ${1:x} -> x, ${1|a,b|} -> a, $1 -> ''. */
function expand(body: string): string {
  let prev: string;
  let s = body;
  do {
    prev = s;
    s = s.replace(/\$\{\d+:((?:[^{}]|\{[^{}]*\})*?)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1');
  } while (s !== prev);
  return s.replace(/\$\{\d+\}|\$\d+/g, '');
}
const bodyText = (s: Snippet) => (Array.isArray(s.body) ? s.body.join('\n') : s.body);

test('jinjasql snippets follow the DCR idioms', () => {
  const snippets: Record<string, Snippet> = readJson('snippets/jinjasql.code-snippets');
  assert.ok(Object.keys(snippets).length >= 10);
  const all = Object.entries(snippets).map(([name, s]) => [name, expand(bodyText(s))] as const);
  for (const [name, text] of all) {
    assert.ok(snippets[name].description.length > 10, `${name}: description`);
    assert.equal((text.match(/\{\{/g) ?? []).length, (text.match(/\}\}/g) ?? []).length, `${name}: {{ }} balanced`);
    assert.equal((text.match(/\{%/g) ?? []).length, (text.match(/%\}/g) ?? []).length, `${name}: {% %} balanced`);
    assert.ok(!/\$\{|\$\d/.test(text), `${name}: placeholder left after expansion: ${text}`);
    assert.ok(!/_policy\s*\|\s*sqlsafe/.test(text), `${name}: policy filter must come after sqlsafe`);
    assert.ok(!/\{\{\s*(['"])[^'"]*\1\s*\}\}/.test(text), `${name}: a literal inside {{ }} gets bound`);
    assert.ok(!/\b[pc]\d*\.\{\{/.test(text), `${name}: alias.{{ col }} hides the alias from the policy filter`);
    for (const m of text.matchAll(/\{\{\s*(source_table|my_table)\[/g)) {
      assert.ok(/IDENTIFIER\($/.test(text.slice(0, m.index)), `${name}: ${m[1]} must be wrapped in IDENTIFIER()`);
    }
    for (const m of text.matchAll(/\{\{([^}]*)\}\}/g)) {
      const expr = m[1];
      if (/\b(sqlsafe)\b/.test(expr) && !/\bt\b|loop/.test(expr)) {
        assert.ok(
          /sqlsafe\s*\|\s*(join_and_column_policy|join_policy|column_policy|activation_policy)/.test(expr),
          `${name}: sqlsafe without a policy filter after it: ${expr}`,
        );
      }
    }
  }
  const byName = Object.fromEntries(all);
  assert.match(byName['DCR: optional where_clause'], /\{% if where_clause %\} WHERE \{\{ where_clause \| sqlsafe \| join_and_column_policy \}\}\{% endif %\}/);
  assert.match(byName['DCR: dimensions list'], /\{% if not loop\.last %\}, \{% endif %\}/);
  assert.match(byName['DCR: multi-provider overlap (loop over source_table)'], /AS p\{\{ loop\.index \}\}/);
  assert.match(byName['DCR: multi-provider overlap (loop over source_table)'], /\[loop\.index0\] \| join_policy/);
  const activation = bodyText(snippets['DCR: activation template']);
  assert.match(activation, /cleanroom\.activation_data_\$\{1:name\}/);
  assert.match(activation, /RETURN '\$\{1:name\}';/);
  assert.match(activation, /sqlsafe \| activation_policy \}\} AS /);
});

const require = createRequire(import.meta.url);
// A declared dev dependency: the schema test must run, never skip itself.
const Ajv = require('ajv') as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };

const designExample = {
  api: 'legacy',
  cleanrooms: {
    'Clean Room 1': {
      provider: {
        tables: { 'SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS': ['HASHED_EMAIL', 'STATUS', 'REGION_CODE'] },
        joinPolicy: ['SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS:HASHED_EMAIL'],
        columnPolicy: ['overlap_analysis:SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS:STATUS'],
        activationPolicy: [],
      },
      consumer: { tables: {}, joinPolicy: [], columnPolicy: [] },
      templates: ['overlap_analysis'],
    },
  },
  analyses: {
    'overlap by status': {
      template: 'templates/overlap_analysis.jinjasql',
      cleanrooms: ['Clean Room 1'],
      arguments: {
        source_table: ['SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS'],
        my_table: ['MYDB.PUBLIC.CUSTOMERS'],
        dimensions: ['p.STATUS'],
        p_join_col: 'p.HASHED_EMAIL',
        c_join_col: 'c.HASHED_EMAIL',
      },
    },
  },
};

test('cleanrooms.json schema accepts the documented example and the snippet, rejects malformed profiles', () => {
  const schema = readJson('schemas/cleanrooms.schema.json');
  // strict:false because VS Code's own keywords (markdownDescription, defaultSnippets...) are not JSON Schema.
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const ok = (d: unknown, why: string) => assert.ok(validate(d), `${why}: ${JSON.stringify(validate.errors)}`);
  const bad = (mutate: (d: any) => void, why: string) => {
    const d = structuredClone(designExample) as any;
    mutate(d);
    assert.equal(validate(d), false, `should reject: ${why}`);
  };
  ok(designExample, 'the documented example');
  ok({ cleanrooms: { R: { provider: { tables: {} } } }, analyses: {} }, 'policies may be missing (= unknown)');
  ok(
    {
      analyses: {
        a: {
          template: 't.jinjasql',
          templateName: 'x',
          cleanrooms: ['R1', 'R2'],
          arguments: { source_table: ['R1.DB.S.T', 'R2.DB.S.T'], hem_col: ['p1.HEM', 'p2.HEM'], n: 5 },
        },
      },
    },
    'multi-provider analysis',
  );

  const skeleton = readJson('snippets/cleanrooms-json.code-snippets')['cleanrooms.json skeleton'] as Snippet;
  ok(JSON.parse(expand(bodyText(skeleton))), 'cleanrooms.json skeleton snippet');

  bad(d => {
    d.api = 'v2';
  }, 'unknown api');
  bad(d => {
    d.cleanrooms['Clean Room 1'].provider.joinPolicy = ['SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS.HASHED_EMAIL'];
  }, 'join policy without ":"');
  bad(d => {
    d.cleanrooms['Clean Room 1'].provider.columnPolicy = ['SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS:STATUS'];
  }, 'column policy without template');
  bad(d => {
    d.cleanrooms['Clean Room 1'].provider.activationPolicy = ['DB.S:COL'];
  }, 'activation policy malformed');
  bad(d => {
    d.cleanrooms['Clean Room 1'].provider.joinpolicy = [];
  }, 'misspelled key would silently mean "unknown"');
  bad(d => {
    d.cleanrooms['Clean Room 1'].provider.tables = { CUSTOMERS: ['A'] };
  }, 'table not fully qualified');
  bad(d => {
    d.analyses['overlap by status'].arguments.source_table = 'DB.S.T';
  }, 'source_table must be an array');
  bad(d => {
    delete d.analyses['overlap by status'].template;
  }, 'analysis without template');
});

test('every schema property has hover text', () => {
  const missing: string[] = [];
  const walk = (node: any, path: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries<any>(node.properties ?? {})) {
      if (!v.description || !v.markdownDescription) missing.push(`${path}.${k}`);
      walk(v, `${path}.${k}`);
    }
    if (node.additionalProperties && typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}.*`);
    if (node.items) walk(node.items, `${path}[]`);
  };
  walk(readJson('schemas/cleanrooms.schema.json'), '$');
  assert.deepEqual(
    missing.filter(p => !p.endsWith('.$schema')),
    [],
  );
});
