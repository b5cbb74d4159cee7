// Every host form templates are kept in: the template text is exactly what Snowflake receives
// (the SQL string decoded, the YAML scalar as a YAML 1.2 parser reads it), and every
// character of it maps to the host character that produced it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractSources, type TemplateRegion } from '../../core/src/sources/regions.ts';
import { unmark } from './markers.ts';

/** Host characters that can produce a template character other than themselves. */
function producedBy(host: string, at: number, ch: string): boolean {
  const h = host[at];
  if (h === ch) return true;
  if (h === '\\' || h === "'") return true; // an escape: \n, \', '' (SQL), \x41, \t (YAML)
  if ((ch === ' ' || ch === '\n') && (h === '\n' || h === '\r')) return true; // a folded line break
  return false;
}

function checkMap(host: string, r: TemplateRegion): void {
  let prev = -1;
  for (let i = 0; i < r.text.length; i++) {
    const at = r.toHost({ start: i, end: i + 1 });
    assert.ok(at.start >= prev, `map goes backwards at template offset ${i}`);
    prev = at.start;
    assert.ok(
      producedBy(host, at.start, r.text[i]!),
      `template char ${JSON.stringify(r.text[i])} at ${i} maps to host ${JSON.stringify(host[at.start])} at ${at.start}`,
    );
  }
}

interface Case {
  name: string;
  /** The host with ⟦ ⟧ around each template's host range. */
  host: string;
  kind: 'worksheet' | 'spec';
  /** Each template's text, in order. */
  templates: string[];
  meta?: Partial<TemplateRegion['meta']>[];
}

const Q = "'";
const cases: Case[] = [
  {
    name: 'create_template_request, $$ template, quoted schema, any case',
    host: `CALL SAMOOHA_BY_SNOWFLAKE_LOCAL_DB."CONSUMER".Create_Template_Request($cr, 'my_t', $$⟦SELECT {{ a }}⟧$$);`,
    kind: 'worksheet',
    templates: ['SELECT {{ a }}'],
    meta: [{ templateName: 'my_t', role: 'consumer', api: 'legacy' }],
  },
  {
    name: "add_custom_sql_template, quoted template with '' and \\' escapes",
    host: `call p.provider.add_custom_sql_template('Room 1', 'tpl', '⟦SELECT {{ x }} FROM ''t'' WHERE y = \\'{{ z }}\\'\\n⟧');`,
    kind: 'worksheet',
    templates: [`SELECT {{ x }} FROM ${Q}t${Q} WHERE y = ${Q}{{ z }}${Q}\n`],
    meta: [{ templateName: 'tpl', cleanroom: 'Room 1', role: 'provider' }],
  },
  {
    name: 'named arguments (=>) in any order',
    host: `call samooha_by_snowflake_local_db.consumer.create_template_request(template_definition => $$⟦SELECT 1⟧$$, cleanroom_name => 'room', TEMPLATE_NAME => 'named_t');`,
    kind: 'worksheet',
    templates: ['SELECT 1'],
    meta: [{ templateName: 'named_t', cleanroom: 'room' }],
  },
  {
    name: '--, // and /* */ comments between every token',
    host: `call /* a */ samooha_by_snowflake_local_db . consumer /* x */ .create_template_request -- b\n( // c\n $cleanroom_name /* d */, -- e\n 'cmt_t' // f\n , /* g */ $$⟦SELECT {{ d }}⟧$$ -- h\n ) // i\n;`,
    kind: 'worksheet',
    templates: ['SELECT {{ d }}'],
    meta: [{ templateName: 'cmt_t', cleanroom: undefined }],
  },
  {
    name: 'get_sql_jinja: the first argument is the template',
    host: `SELECT samooha_by_snowflake_local_db.consumer.GET_SQL_JINJA($$⟦SELECT {{ col | sqlsafe }} FROM t⟧$$, object_construct('col', 'a'));`,
    kind: 'worksheet',
    templates: ['SELECT {{ col | sqlsafe }} FROM t'],
    meta: [{ procedure: 'get_sql_jinja' }],
  },
  {
    name: 'a session variable set to a literal earlier in the worksheet',
    host: `SET tpl = $$⟦SELECT {{ v }}⟧$$;\nSET room = 'r';\ncall samooha_by_snowflake_local_db.provider.add_custom_sql_template($room, 'var_t', $tpl);`,
    kind: 'worksheet',
    templates: ['SELECT {{ v }}'],
    meta: [{ templateName: 'var_t', cleanroom: 'r' }],
  },
  {
    name: 'REGISTER_TEMPLATE with the spec in $$, literal block template',
    host: `CALL samooha_by_snowflake_local_db.registry.register_template($$\napi_version: 2.0.0\nspec_type: template\nname: reg_t\nversion: v1\ntype: sql_analysis\ntemplate: |\n  ⟦SELECT {{ a }}\n    FROM IDENTIFIER({{ source_table[0] }}) AS p1\n⟧$$);`,
    kind: 'worksheet',
    templates: ['SELECT {{ a }}\n  FROM IDENTIFIER({{ source_table[0] }}) AS p1\n'],
    meta: [{ templateName: 'reg_t', role: 'collaboration', api: 'collaboration' }],
  },
  {
    name: "REGISTER_TEMPLATE with a registry name and the spec in a quoted string ('' inside)",
    host: `CALL samooha_by_snowflake_local_db.registry.register_template('my_registry', 'api_version: 2.0.0\nspec_type: template\nname: q_t\nversion: v1\ntype: sql_analysis\ntemplate: "⟦SELECT ''x'' AS {{ a }}⟧"\n');`,
    kind: 'worksheet',
    templates: [`SELECT ${Q}x${Q} AS {{ a }}`],
    meta: [{ templateName: 'q_t' }],
  },
  {
    name: 'two calls in one worksheet, and a call inside a string is not a call',
    host: `SELECT 'call x.consumer.create_template_request(1, 2, $$no$$)';\ncall a.consumer.create_template_request('r', 't1', $$⟦A⟧$$);\ncall a.consumer.create_template_request('r', 't2', $$⟦B⟧$$);`,
    kind: 'worksheet',
    templates: ['A', 'B'],
  },
  {
    name: 'a template given as literals joined with ||',
    host: `call x.consumer.create_template_request('r', 'joined', '⟦SELECT {{ a }} ' ||\n  -- the table\n  'FROM t WHERE s = ''x''' || $$ AND {{ b }}⟧$$);`,
    kind: 'worksheet',
    templates: [`SELECT {{ a }} FROM t WHERE s = ${Q}x${Q} AND {{ b }}`],
  },
  // ---- YAML template specs: every scalar style
  ...[
    ['plain, one line', 'template: ⟦SELECT {{ a }} FROM t⟧\n', 'SELECT {{ a }} FROM t'],
    ['plain, multi-line folds to spaces', 'template: ⟦SELECT {{ a }}\n  FROM t\n\n  WHERE x = 1⟧\nparameters: []\n', 'SELECT {{ a }} FROM t\nWHERE x = 1'],
    ["single-quoted with '' and a fold", "template: '⟦SELECT ''a'' AS {{ b }}\n   FROM t⟧'\n", "SELECT 'a' AS {{ b }} FROM t"],
    ['double-quoted with escapes', 'template: "⟦SELECT \\"c\\" AS {{ b }},\\tx\\nFROM t \\\\ \\x41\\u00e9⟧"\n', 'SELECT "c" AS {{ b }},\tx\nFROM t \\ Aé'],
    ['double-quoted with an escaped line break', 'template: "⟦SELECT {{ a }} \\\n   FROM t⟧"\n', 'SELECT {{ a }} FROM t'],
    ['literal |', 'template: |\n  ⟦SELECT {{ a }}\n    FROM t\n⟧', 'SELECT {{ a }}\n  FROM t\n'],
    ['literal |- strips the final break', 'template: |-\n  ⟦SELECT {{ a }}\n  FROM t⟧\nparameters: []\n', 'SELECT {{ a }}\nFROM t'],
    ['literal |+ keeps trailing lines', 'template: |+\n  ⟦SELECT {{ a }}\n\n\n⟧parameters: []\n', 'SELECT {{ a }}\n\n\n'],
    ['literal with indentation indicator |2', 'template: |2\n  ⟦ SELECT {{ a }}\n  FROM t\n⟧', ' SELECT {{ a }}\nFROM t\n'],
    ['folded >', 'template: >\n  ⟦SELECT {{ a }}\n  FROM t\n\n  WHERE 1 = 1\n    AND {{ b }}\n⟧', 'SELECT {{ a }} FROM t\nWHERE 1 = 1\n  AND {{ b }}\n'],
    ['folded >- with CRLF line ends', 'template: >-\r\n  ⟦SELECT {{ a }}\r\n  FROM t⟧\r\n', 'SELECT {{ a }} FROM t'],
    ['folded >2+ ', 'template: >2+\n  ⟦ x {{ a }}\n  y\n\n⟧', ' x {{ a }}\ny\n\n'],
  ].map(([name, body, tpl]): Case => ({
    name: `spec: ${name}`,
    host: `api_version: 2.0.0\nspec_type: template\nname: s\nversion: v1\ntype: sql_analysis\n${body}`,
    kind: 'spec',
    templates: [tpl!],
  })),
];

test('host forms: cases found', () => assert.ok(cases.length >= 20));

for (const c of cases) {
  test(`host form: ${c.name}`, () => {
    const { text, ranges } = unmark(c.host);
    const { regions, notices } = extractSources(text, c.kind);
    assert.deepEqual(notices, []);
    assert.deepEqual(
      regions.map(r => r.text),
      c.templates,
    );
    for (const [i, r] of regions.entries()) {
      checkMap(text, r);
      const whole = r.toHost({ start: 0, end: r.text.length });
      assert.deepEqual(whole, ranges[i], `host range of template ${i}`);
      for (const [k, v] of Object.entries(c.meta?.[i] ?? {})) assert.equal((r.meta as Record<string, unknown>)[k], v, `meta.${k}`);
    }
  });
}

test('host form: every {{ }} of every case maps to the same text in the host', () => {
  let checked = 0;
  for (const c of cases) {
    const { text } = unmark(c.host);
    for (const r of extractSources(text, c.kind).regions) {
      for (const m of r.text.matchAll(/\{\{[^}]*\}\}/g)) {
        const h = r.toHost({ start: m.index!, end: m.index! + m[0].length });
        if (!/\\/.test(text.slice(h.start, h.end))) assert.equal(text.slice(h.start, h.end), m[0]);
        checked++;
      }
    }
  }
  assert.ok(checked >= 20, `only ${checked} outputs checked`);
});

/** Hosts that should hold a checkable template but do not: a notice at the marked span. */
const silent: { name: string; host: string; kind: 'worksheet' | 'spec' | 'template'; says: RegExp }[] = [
  {
    name: 'template argument is an expression',
    host: `call x.provider.⟦add_custom_sql_template⟧('r', 't', 'SELECT ' || $col);`,
    kind: 'worksheet',
    says: /not a string literal/,
  },
  {
    name: 'template argument is an unset session variable',
    host: `call x.consumer.⟦create_template_request⟧($room, 't', $tpl);`,
    kind: 'worksheet',
    says: /\$tpl/,
  },
  { name: 'template argument is missing', host: `call x.consumer.⟦create_template_request⟧('r', 't');`, kind: 'worksheet', says: /no 'template_definition'/ },
  {
    name: 'REGISTER_TEMPLATE with a spec that is not a literal',
    host: `call samooha_by_snowflake_local_db.registry.⟦register_template⟧($spec);`,
    kind: 'worksheet',
    says: /session variable/,
  },
  {
    name: 'REGISTER_TEMPLATE with a spec without template text',
    host: `call x.registry.register_template($$\nspec_type: template\nname: t\n⟦template⟧:\n  - a\n$$);`,
    kind: 'worksheet',
    says: /not a text value/,
  },
  {
    name: 'clean room calls but no template',
    host: `call samooha_by_snowflake_local_db.consumer.⟦run_analysis⟧($cr, 'overlap', ['db.s.t'], [], object_construct());`,
    kind: 'worksheet',
    says: /No template found/,
  },
  { name: 'spec file without template', host: `⟦⟧api_version: 2.0.0\nspec_type: template\nname: t\n`, kind: 'spec', says: /no 'template' field/ },
  { name: 'an empty template argument', host: `call x.consumer.⟦create_template_request⟧('r', 't', $$  $$);`, kind: 'worksheet', says: /empty/ },
  { name: 'an empty spec template', host: `api_version: 2.0.0\nspec_type: template\nname: ⟦t⟧\ntemplate: ''\n`, kind: 'spec', says: /empty/ },
  { name: 'empty template file (and no region to count as checked)', host: `⟦⟧  \n`, kind: 'template', says: /empty/ },
  {
    name: 'spec with a YAML error after its template',
    host: `api_version: 2.0.0\nspec_type: template\nname: t\ntemplate: |\n  SELECT 1\n⟦ ⟧bad: [\n`,
    kind: 'spec',
    says: /not valid YAML/,
  },
  {
    name: 'spec whose template is a flow mapping ({{ unquoted)',
    host: `api_version: 2.0.0\nspec_type: template\nname: t\n⟦template⟧: {{ x }}\n`,
    kind: 'spec',
    says: /not a text value/,
  },
];

for (const c of silent) {
  test(`never silent: ${c.name}`, () => {
    const { text, ranges } = unmark(c.host);
    const { regions, notices } = extractSources(text, c.kind);
    assert.equal(notices.length, 1, JSON.stringify(notices));
    if (!/after its template/.test(c.name)) assert.deepEqual(regions, [], 'nothing to check means no region counted as checked');
    assert.deepEqual(notices[0]!.span, ranges[0]);
    assert.match(notices[0]!.message, c.says);
  });
}

test('a worksheet with no clean room call says nothing', () => {
  assert.deepEqual(extractSources('SELECT 1; CALL my_proc($$x$$);', 'worksheet'), { regions: [], notices: [] });
});

test('host form: calls inside EXECUTE IMMEDIATE $$ … $$, with octal, hex and unicode escapes', () => {
  const host = "EXECUTE IMMEDIATE $$\nBEGIN\n  CALL x.consumer.create_template_request('r', 'scripted', 'SELECT \\x41, \\101, \\u0041, {{ a }}');\nEND;\n$$;";
  const { regions, notices } = extractSources(host, 'worksheet');
  assert.deepEqual(notices, []);
  assert.equal(regions.length, 1);
  const r = regions[0]!;
  assert.equal(r.text, 'SELECT A, A, A, {{ a }}');
  assert.equal(r.meta.templateName, 'scripted');
  assert.equal(host.slice(r.meta.templateNameSpan!.start, r.meta.templateNameSpan!.end), 'scripted');
  checkMap(host, r);
  const at = r.text.indexOf('{{ a }}');
  const h = r.toHost({ start: at, end: at + 7 });
  assert.equal(host.slice(h.start, h.end), '{{ a }}');
  // An escape maps to its whole source text.
  const x = r.toHost({ start: 7, end: 8 });
  assert.equal(host.slice(x.start, x.end), '\\x41');
});

test('never silent: REGISTER_TEMPLATE with a literal that is not a template spec', () => {
  const { text, ranges } = unmark("call x.registry.⟦register_template⟧('reg', 'just text');");
  const { regions, notices } = extractSources(text, 'worksheet');
  assert.equal(regions.length, 0);
  assert.equal(notices.length, 1);
  assert.match(notices[0]!.message, /not a YAML mapping/);
  assert.deepEqual(notices[0]!.span, ranges[0]);
});

test('host form: a spec file of several YAML documents gives one template per spec', () => {
  const spec = (name: string, body: string) => `api_version: 2.0.0\nspec_type: template\nname: ${name}\nversion: v1\ntype: sql_analysis\ntemplate: ${body}\n`;
  const { text, ranges } = unmark(`${spec('one', '⟦SELECT {{ a }}⟧')}---\n${spec('two', '|\n  ⟦SELECT {{ b }}\n⟧')}...\n---\n# not a spec\nkind: other\n`);
  const { regions, notices } = extractSources(text, 'spec');
  assert.deepEqual(notices, []);
  assert.deepEqual(
    regions.map(r => [r.text, r.meta.templateName]),
    [
      ['SELECT {{ a }}', 'one'],
      ['SELECT {{ b }}\n', 'two'],
    ],
  );
  regions.forEach((r, i) => {
    checkMap(text, r);
    assert.deepEqual(r.toHost({ start: 0, end: r.text.length }), ranges[i]);
    assert.equal(text.slice(r.meta.templateNameSpan!.start, r.meta.templateNameSpan!.end), i ? 'two' : 'one');
  });
});

test('host form: a template kept in a plain .sql file is the whole file', () => {
  const tpl = "SELECT IDENTIFIER({{ col | column_policy }}) AS c, 'x' AS y -- {{ not here }}\nFROM IDENTIFIER({{ source_table[0] }}) AS p";
  const { regions, notices } = extractSources(tpl, 'worksheet');
  assert.deepEqual(notices, []);
  assert.deepEqual(
    regions.map(r => r.text),
    [tpl],
  );
});

test('a .sql file with Jinja only inside strings, or Jinja of another tool, is no template', () => {
  const cases = [
    "SELECT '{{ source_table[0] }}' AS doc;",
    '-- FROM {{ source_table[0] }}\nSELECT 1;',
    "select * from {{ ref('orders') }} where {{ var('x') }} > 1",
  ];
  for (const c of cases) assert.deepEqual(extractSources(c, 'worksheet'), { regions: [], notices: [] }, c);
  assert.equal(cases.length, 3);
});
