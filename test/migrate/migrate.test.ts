/**
 * The migration to the Collaboration API on the bundled examples, the seed's multi-provider
 * flow and the honesty corpus's legacy templates: each migrated render equals the legacy
 * render apart from the alias and table renaming, the specs read back as YAML with the
 * template byte for byte and pass the engine's checks, and the report names each decision.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { migrateProfile } from '../../core/src/index.js';
import { migrateTemplateText } from '../../core/src/index.js';
import { checkSpec } from '../../core/src/index.js';
import { analyzeDocument, parseDocument, parseProfile } from '../../core/src/index.js';
import { detectKind, extractTemplates } from '../../core/src/index.js';
import { ATTACKS } from '../attacks/attacks.js';

const ROOT = resolve(__dirname, '../..');

/** Every template file and worksheet under a folder, relative to it (what the CLI passes). */
function filesUnder(folder: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(join(folder, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (/\.(jinjasql|sql)$/.test(e.name)) out.push({ path: p, text: readFileSync(join(folder, p), 'utf8') });
    }
  };
  walk('');
  return out;
}

function migrateFile(profilePath: string, analysis?: string) {
  const abs = join(ROOT, profilePath);
  return migrateProfile({
    ...(analysis ? {} : { templateFiles: filesUnder(dirname(abs)) }),
    profileText: readFileSync(abs, 'utf8'),
    templateText: p => {
      try {
        return readFileSync(resolve(dirname(abs), p), 'utf8');
      } catch {
        return undefined;
      }
    },
    ...(analysis ? { analysis } : {}),
  });
}

function specsReadBack(files: { path: string; text: string; kind: string }[]) {
  const specs = files.filter(f => f.kind === 'template-spec');
  assert.ok(specs.length > 0);
  for (const f of specs) {
    const doc = parseYaml(f.text) as Record<string, unknown>;
    assert.equal(doc.api_version, '2.0.0', f.path);
    assert.equal(doc.spec_type, 'template', f.path);
    assert.match(String(doc.name), /^[A-Za-z_][A-Za-z0-9_]{0,74}$/);
    assert.match(f.text, /^template: \|/m, `${f.path}: the template is a literal block`);
  }
  for (const f of files.filter(x => x.kind === 'data-offering-spec' || x.kind === 'collaboration-spec')) assert.deepEqual(checkSpec(f.text), [], f.path);
}

describe('migrate: the bundled examples', () => {
  const { files, report } = migrateFile('examples/cleanrooms.json');

  test('every analysis renders the same SQL apart from the renaming', () => {
    assert.equal(report.renders.length, 3);
    assert.deepEqual(
      report.renders.map(r => [r.analysis, r.equal]),
      [
        ['overlap by status', true],
        ['overlap by age band', true],
        ['overlap across both providers', true],
      ],
    );
  });

  test('aliases are renumbered from 1 and arguments follow', () => {
    const spec = files.find(f => f.path === 'templates/overlap_analysis.yaml')!;
    const body = (parseYaml(spec.text) as { template: string }).template;
    assert.match(body, /AS c1\n/);
    assert.match(body, /AS p1\n/);
    assert.doesNotMatch(body, /\b[pc]\./);
    const profile = JSON.parse(files.find(f => f.path === 'cleanrooms.json')!.text);
    assert.equal(profile.api, 'collaboration');
    const args = profile.analyses['overlap by status'].arguments;
    assert.deepEqual(args.dimensions, ['p1.STATUS']);
    assert.equal(args.where_clause, "p1.STATUS <> 'INACTIVE'");
    assert.deepEqual(args.source_table, ['retail_media_clean_room_1.retail_media_clean_room_1_provider_v1.customers']);
    // The multi-provider template already numbers its aliases from 1: they stay.
    const mp = (parseYaml(files.find(f => f.path === 'templates/multiprovider_overlap.yaml')!.text) as { template: string }).template;
    assert.match(mp, /AS p\{\{ loop\.index \| sqlsafe \}\}/);
    assert.deepEqual(profile.analyses['overlap across both providers'].arguments.hem_col, ['p1.HASHED_EMAIL', 'p2.HASHED_EMAIL']);
  });

  test('the specs and the profile read back and parse', () => {
    specsReadBack(files);
    const profile = parseProfile(files.find(f => f.path === 'cleanrooms.json')!.text);
    assert.deepEqual(profile.problems, []);
    assert.equal(profile.analyses.size, 3);
  });

  test('the report names each decision', () => {
    const says = (re: RegExp) =>
      assert.ok(
        report.decisions.some(d => re.test(`${d.where}: ${d.message}`)),
        `a decision matching ${re}`,
      );
    // The planted unauthorized column is carried over, not hidden.
    // A policy check belongs to the analysis that fails it, not to the template.
    says(/analysis 'overlap by age band': DCR302 error .*p1\.SPEND/);
    // One offering policy for every template is wider than the legacy per-template policy.
    says(/the legacy column policy allows different columns per template/);
    assert.ok(
      report.decisions.every(d => !/activation_segment/.test(d.where)),
      'the activation template needs no decision',
    );
    assert.ok(report.decisions.every(d => d.reason.length > 0));
    assert.deepEqual(
      report.analyses.map(a => [a.name, a.clean]),
      [
        ['overlap by status', true],
        ['overlap by age band', false],
        ['overlap across both providers', true],
      ],
    );
    assert.equal(report.summary.templates, 3);
    assert.equal(report.summary.templatesClean, 3);
  });

  test('a template the room installs but no analysis runs is found and migrated on sample arguments', () => {
    const t = report.templates.find(x => x.legacyName === 'activation_segment')!;
    assert.equal(t.source, 'templates/activation_segment.jinjasql');
    assert.ok(t.sampleRenders && t.sampleRenders.compared > 0 && t.sampleRenders.equal === t.sampleRenders.compared);
    assert.equal(t.clean, true);
    const spec = parseYaml(files.find(f => f.path === 'templates/activation_segment.yaml')!.text) as { type: string; template: string };
    assert.equal(spec.type, 'sql_activation');
    assert.match(spec.template, /AS c1\n  JOIN IDENTIFIER\(\{\{ source_table\[0\] \}\}\) AS p1\n/);
    const collab = parseYaml(files.find(f => f.kind === 'collaboration-spec')!.text) as {
      analysis_runners: { consumer: { templates: { id: string }[]; activation_destinations: { snowflake_collaborators: string[] } } };
    };
    assert.ok(collab.analysis_runners.consumer.templates.some(x => x.id === 'activation_segment_v1'));
    assert.deepEqual(collab.analysis_runners.consumer.activation_destinations.snowflake_collaborators, ['consumer']);
  });

  test('one analysis on its own is clean: no open decision of its own', () => {
    const one = migrateFile('examples/cleanrooms.json', 'overlap by status');
    assert.deepEqual(
      one.report.analyses.map(a => [a.name, a.clean]),
      [['overlap by status', true]],
    );
    assert.ok(one.report.renders.every(r => r.equal));
    assert.ok(!one.report.decisions.some(d => /^template|^analysis/.test(d.where)), JSON.stringify(one.report.decisions));
  });
});

describe("migrate: the seed's multi-provider flow", () => {
  const { files, report } = migrateFile('test/fixtures/seed-workspace/cleanrooms.json');

  test('one collaboration with one data provider per clean room, the cluster render unchanged', () => {
    assert.equal(report.renders.length, 1);
    assert.equal(report.renders[0]!.scope, 'cluster');
    assert.equal(report.renders[0]!.equal, true);
    const collab = parseYaml(files.find(f => f.kind === 'collaboration-spec')!.text) as {
      analysis_runners: Record<string, { data_providers: Record<string, unknown>; templates: { id: string }[] }>;
    };
    const consumer = collab.analysis_runners.consumer!;
    assert.deepEqual(Object.keys(consumer.data_providers), ['samooha_cleanroom_multiprovider_clean_room_1', 'samooha_cleanroom_multiprovider_clean_room_2']);
    assert.deepEqual(consumer.templates, [{ id: 'multiprovider_overlap_analysis_v1' }]);
    specsReadBack(files);
  });

  test('the template body survives byte for byte apart from the alias renaming', () => {
    const worksheet = readFileSync(join(ROOT, 'test/fixtures/seed-workspace/multiprovider_overlap_analysis.sql'), 'utf8');
    const legacy = extractTemplates(worksheet, 'worksheet')[0]!.text;
    const spec = files.find(f => f.kind === 'template-spec')!;
    const body = (parseYaml(spec.text) as { template: string }).template;
    assert.equal(body, legacy.replace('identifier({{ my_table[0] }}) c\n', 'identifier({{ my_table[0] }}) c1\n').replace('= c.{{', '= c1.{{'));
  });

  test('decisions: the unchecked dimension and the column the second room never allowed', () => {
    assert.ok(report.decisions.some(d => /dimensions\[\d\] reaches the SQL with no policy filter/.test(d.message) && /checked dimensions/.test(d.reason)));
    assert.ok(report.decisions.some(d => /DCR302 error .*'p2\.STATUS'/.test(d.message)));
    assert.ok(report.fillIn.some(f => /account identifier placeholders/.test(f.message)));
  });
});

describe('migrate: legacy templates of the honesty corpus', () => {
  const dir = join(ROOT, 'test/corpus/valid');
  const cases: { file: string; text: string; name: string }[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.yaml')) continue;
    const raw = readFileSync(join(dir, f), 'utf8');
    const header = /^⟪([^⟫]*)⟫\n/.exec(raw);
    if (header && /api=collaboration/.test(header[1]!)) continue;
    const text = (header ? raw.slice(header[0].length) : raw).replace(/[⟦⟧]/g, '');
    for (const r of extractTemplates(text, detectKind(f, undefined, text))) {
      // get_sql_jinja renders a text for its caller; it installs no template, so there is nothing to migrate.
      if (r.meta.procedure === 'get_sql_jinja') continue;
      cases.push({ file: f, text: r.text, name: r.meta.templateName ?? f.replace(/\..*$/, '') });
    }
  }

  test('found the legacy templates', () => assert.ok(cases.length >= 10, `${cases.length} cases`));

  /**
   * Templates whose render cannot stay equal, each with why; the migration must say so (a
   * decision with the diff) rather than pass it silently.
   */
  const DIFFERS: Record<string, string> = {
    // `(dimensions | sqlsafe | length)` counts the characters of the list's text, which grow by
    // one per element when `p.` becomes `p1.`.
    'v52_sqlsafe_then_int.jinjasql': 'the length of the aliased values is rendered',
  };

  for (const c of cases) {
    test(`${c.file}: same renders with sample arguments, spec passes the checks`, () => {
      const m = migrateTemplateText(c.text, c.name);
      assert.ok(m.compared > 0, 'rendered at least once');
      if (DIFFERS[c.file]) {
        assert.ok(m.equal < m.compared, `${c.file} was expected to differ: ${DIFFERS[c.file]}`);
        assert.ok(
          m.decisions.some(d => d.diff),
          'the difference is reported as a decision with its diff',
        );
        return;
      }
      assert.equal(m.equal, m.compared, m.decisions.map(d => d.diff ?? d.message).join('\n'));
      assert.equal((parseYaml(m.spec) as { template: string }).template, m.body);
      const findings = analyzeDocument(parseDocument({ text: m.spec, path: `${m.name}.yaml` }), { api: 'collaboration' }).filter(
        f => f.severity === 'error' || f.severity === 'warning',
      );
      assert.deepEqual(
        findings.map(f => `${f.code} ${f.message}`),
        [],
      );
    });
  }

  test('a legacy provider-run activation is a decision, not a silent rewrite', () => {
    const c = cases.find(x => x.file.startsWith('v18_'))!;
    const m = migrateTemplateText(c.text, c.name);
    assert.ok(m.decisions.some(d => /temp_result_data/.test(d.message)));
  });
});

describe('migrate: alias rewrites', () => {
  const cases: { name: string; template: string; expect: RegExp[]; providerRun?: boolean }[] = [
    {
      name: 'legacy numbering p, p1 becomes p1, p2',
      template:
        'SELECT IDENTIFIER({{ a | column_policy }}) FROM IDENTIFIER({{ source_table[0] }}) AS p JOIN IDENTIFIER({{ source_table[1] }}) AS p1 ON p.id = p1.id',
      expect: [/AS p1 JOIN/, /AS p2 ON p1\.id = p2\.id/],
    },
    {
      name: 'a computed alias numbered from 0 gets one added',
      template:
        '{% for t in source_table %}SELECT COUNT(*) FROM IDENTIFIER({{ t }}) AS p{{ loop.index0 | sqlsafe }}{% if not loop.last %} UNION ALL {% endif %}{% endfor %}',
      expect: [/AS p\{\{ \(loop\.index0 \+ 1\) \| sqlsafe \}\}/],
    },
    {
      name: "an alias prefix in a string constant ('p.' ~ col)",
      template: "SELECT {{ ('p.' ~ col) | sqlsafe | column_policy }} FROM IDENTIFIER({{ source_table[0] }}) AS p",
      expect: [/'p1\.' ~ col/, /AS p1$/],
    },
    {
      name: 'a column alias spelled like a table alias keeps its name',
      template: 'SELECT COUNT(*) AS c FROM IDENTIFIER({{ my_table[0] }}) AS c JOIN IDENTIFIER({{ source_table[0] }}) AS p ON p.id = c.id',
      expect: [
        /^SELECT COUNT\(\*\) AS c FROM IDENTIFIER\(\{\{ my_table\[0\] \}\}\) AS c1 JOIN IDENTIFIER\(\{\{ source_table\[0\] \}\}\) AS p1 ON p1\.id = c1\.id$/,
      ],
    },
    {
      name: 'provider-run: source_table and my_table swap with their letters',
      template: 'SELECT COUNT(*) FROM IDENTIFIER({{ source_table[0] }}) AS p JOIN IDENTIFIER({{ my_table[0] }}) AS c ON p.id = c.id',
      providerRun: true,
      expect: [/IDENTIFIER\(\{\{ my_table\[0\] \}\}\) AS c1 JOIN IDENTIFIER\(\{\{ source_table\[0\] \}\}\) AS p1 ON c1\.id = p1\.id/],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const m = migrateTemplateText(c.template, 'sample_template', { providerRun: c.providerRun === true });
      for (const re of c.expect) assert.match(m.body, re);
      assert.ok(m.compared > 0);
      assert.equal(m.equal, m.compared, m.decisions.map(d => d.diff ?? d.message).join('\n'));
    });
  }

  test('a template name that breaks the spec rules is renamed and reported', () => {
    const m = migrateTemplateText('SELECT 1', '2024 overlap-report');
    assert.equal(m.name, 't_2024_overlap_report');
    assert.ok(m.changes.some(ch => /Template name '2024 overlap-report' → 't_2024_overlap_report'/.test(ch.message)));
  });
});

describe('DCR114: legacy alias numbering, with the renumbering fix', () => {
  const cases: { name: string; template: string; api: 'legacy' | 'collaboration'; flagged: string[]; fixed?: string }[] = [
    {
      name: 'p and p1 for the first two tables (legacy): information, fix renumbers all',
      template: 'SELECT COUNT(*) FROM IDENTIFIER({{ source_table[0] }}) AS p JOIN IDENTIFIER({{ source_table[1] }}) AS p1 ON p.id = p1.id',
      api: 'legacy',
      flagged: ['information p1'],
      fixed: 'SELECT COUNT(*) FROM IDENTIFIER({{ source_table[0] }}) AS p1 JOIN IDENTIFIER({{ source_table[1] }}) AS p2 ON p1.id = p2.id',
    },
    {
      name: 'p0 and p1 under the Collaboration API: warnings',
      template: 'SELECT COUNT(*) FROM IDENTIFIER({{ source_table[0] }}) AS p0 JOIN IDENTIFIER({{ source_table[1] }}) AS p1 ON p0.id = p1.id',
      api: 'collaboration',
      flagged: ['warning p0', 'warning p1'],
    },
    { name: 'a single p is the first table in both APIs', template: 'SELECT COUNT(*) FROM IDENTIFIER({{ source_table[0] }}) AS p', api: 'legacy', flagged: [] },
    {
      name: 'p{{ loop.index }} already counts from 1',
      template: '{% for t in source_table %}SELECT 1 FROM IDENTIFIER({{ t }}) AS p{{ loop.index }}{% if not loop.last %} UNION ALL {% endif %}{% endfor %}',
      api: 'legacy',
      flagged: [],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const found = analyzeDocument(parseDocument({ text: c.template, path: 'x.jinjasql' }), { api: c.api }).filter(f => f.code === 'DCR114');
      assert.deepEqual(
        found.map(f => `${f.severity} ${c.template.slice(f.span.start, f.span.end)}`),
        c.flagged,
      );
      if (c.fixed) {
        const fix = (found[0]!.data as { fixes: { edits: { span: { start: number; end: number }; newText: string }[] }[] }).fixes[0]!;
        let text = c.template;
        for (const e of [...fix.edits].sort((a, b) => b.span.start - a.span.start)) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
        assert.equal(text, c.fixed);
      }
    });
  }
});

describe('migrate: a provider-run analysis', () => {
  const template = [
    'SELECT IDENTIFIER({{ dimensions[0] | column_policy }}) AS grp, COUNT(*) AS n',
    'FROM IDENTIFIER({{ source_table[0] }}) AS p',
    'JOIN IDENTIFIER({{ my_table[0] }}) AS c',
    '  ON IDENTIFIER({{ p_join_col | join_policy }}) = IDENTIFIER({{ c_join_col | join_policy }})',
    'GROUP BY 1',
    '',
  ].join('\n');
  const profile = {
    api: 'legacy',
    cleanrooms: {
      'Media Room': {
        provider: { tables: { 'PUB_DB.S.VIEWERS': ['HASHED_EMAIL', 'SHOW'] }, joinPolicy: [], columnPolicy: [] },
        consumer: {
          tables: { 'ADV_DB.S.BUYERS': ['HASHED_EMAIL', 'TIER'] },
          joinPolicy: ['ADV_DB.S.BUYERS:HASHED_EMAIL'],
          columnPolicy: ['provider_overlap:ADV_DB.S.BUYERS:TIER'],
        },
        templates: ['provider_overlap'],
      },
    },
    analyses: {
      'buyers by tier': {
        template: 'provider_overlap.jinjasql',
        runAs: 'provider',
        cleanrooms: ['Media Room'],
        arguments: {
          source_table: ['PUB_DB.S.VIEWERS'],
          my_table: ['ADV_DB.S.BUYERS'],
          dimensions: ['c.TIER'],
          p_join_col: 'p.HASHED_EMAIL',
          c_join_col: 'c.HASHED_EMAIL',
        },
      },
    },
  };
  const { files, report } = migrateProfile({
    profileText: JSON.stringify(profile),
    templateText: p => (p === 'provider_overlap.jinjasql' ? template : undefined),
  });

  test('the tables swap: the consumer data is shared (source_table), the provider its own (my_table)', () => {
    assert.deepEqual(report.decisions, []);
    assert.deepEqual(
      report.renders.map(r => r.equal),
      [true],
    );
    const body = (parseYaml(files.find(f => f.kind === 'template-spec')!.text) as { template: string }).template;
    assert.match(body, /FROM IDENTIFIER\(\{\{ my_table\[0\] \}\}\) AS c1\nJOIN IDENTIFIER\(\{\{ source_table\[0\] \}\}\) AS p1\n/);
    const args = JSON.parse(files.find(f => f.kind === 'profile')!.text).analyses['buyers by tier'].arguments;
    assert.deepEqual(args.source_table, ['consumer.media_room_consumer_v1.buyers']);
    assert.deepEqual(args.my_table, ['media_room.media_room_provider_v1.viewers']);
    assert.deepEqual([args.dimensions, args.p_join_col, args.c_join_col], [['p1.TIER'], 'c1.HASHED_EMAIL', 'p1.HASHED_EMAIL']);
    // The provider runs: the collaboration lets it use the consumer's offering.
    const collab = parseYaml(files.find(f => f.kind === 'collaboration-spec')!.text) as {
      analysis_runners: Record<string, { data_providers: Record<string, { data_offerings: { id: string }[] }> }>;
    };
    assert.deepEqual(collab.analysis_runners.media_room!.data_providers.consumer!.data_offerings, [{ id: 'media_room_consumer_v1' }]);
    assert.ok(report.fillIn.some(f => /media_room_provider/.test(f.where) && /LINK_LOCAL_DATA_OFFERING/.test(f.message)));
  });
});

describe('migrate: the spec holds the template body', () => {
  const bodies: { name: string; body: string }[] = [
    { name: 'indented first line', body: '  SELECT 1 AS n\nFROM IDENTIFIER({{ source_table[0] }}) AS p1' },
    { name: 'no final newline', body: 'SELECT COUNT(*) FROM IDENTIFIER({{ source_table[0] }}) AS p1' },
    { name: 'several final newlines', body: 'SELECT COUNT(*) FROM IDENTIFIER({{ source_table[0] }}) AS p1\n\n\n' },
    { name: 'trailing spaces and tabs, YAML-looking lines', body: 'SELECT 1   \n\t-- a: b\n# x\n- y\nFROM IDENTIFIER({{ source_table[0] }}) AS p1\n' },
    { name: 'non-ASCII text', body: "SELECT 'ünïcode ✓' AS s FROM IDENTIFIER({{ source_table[0] }}) AS p1\n" },
  ];
  for (const c of bodies) {
    test(`${c.name}: read back byte for byte from a literal block`, () => {
      const m = migrateTemplateText(c.body, 'sample_template');
      assert.equal(m.body, c.body);
      assert.match(m.spec, /^template: \|/m);
      assert.equal((parseYaml(m.spec) as { template: string }).template, c.body);
      assert.deepEqual(m.decisions, []);
    });
  }

  test('CRLF line ends become LF (a block scalar holds no CR), reported, renders still equal', () => {
    const m = migrateTemplateText('SELECT COUNT(*)\r\nFROM IDENTIFIER({{ source_table[0] }}) AS p\r\n', 'sample_template');
    assert.equal(m.body, 'SELECT COUNT(*)\nFROM IDENTIFIER({{ source_table[0] }}) AS p1\n');
    assert.match(m.spec, /^template: \|/m);
    assert.ok(m.changes.some(c => /CRLF → LF/.test(c.message)));
    assert.ok(m.compared > 0 && m.equal === m.compared);
  });
});

describe('migrate: bad input gets a clear answer, never an exception', () => {
  const cases: { name: string; profile: string; analysis?: string; fatal?: RegExp; decision?: RegExp }[] = [
    {
      name: 'already a Collaboration profile',
      profile: '{"api":"collaboration","cleanrooms":{},"analyses":{}}',
      fatal: /already targets the Collaboration API/,
    },
    { name: 'no analyses', profile: '{"api":"legacy","cleanrooms":{}}', fatal: /no analyses/ },
    {
      name: 'unknown analysis',
      profile: '{"api":"legacy","cleanrooms":{"R":{"provider":{},"consumer":{}}},"analyses":{"a":{"template":"t.jinjasql","cleanrooms":["R"],"arguments":{}}}}',
      analysis: 'b',
      fatal: /no analysis 'b'.*'a'/,
    },
    {
      name: 'template file missing',
      profile:
        '{"api":"legacy","cleanrooms":{"R":{"provider":{},"consumer":{}}},"analyses":{"a":{"template":"missing.jinjasql","cleanrooms":["R"],"arguments":{}}}}',
      decision: /Template file 'missing\.jinjasql' was not found/,
    },
    { name: 'not JSON at all', profile: '{nope', fatal: /no analyses/ },
    {
      name: 'a template the room installs with no analysis and no file',
      profile:
        '{"api":"legacy","cleanrooms":{"R":{"provider":{},"consumer":{},"templates":["t","ghost"]}},"analyses":{"a":{"template":"t.jinjasql","cleanrooms":["R"],"arguments":{}}}}',
      decision: /Template 'ghost' is installed in the room, but no analysis runs it and no file near the profile holds it/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { report } = migrateProfile({
        profileText: c.profile,
        templateText: p => (p === 't.jinjasql' ? 'SELECT 1' : undefined),
        ...(c.analysis ? { analysis: c.analysis } : {}),
      });
      if (c.fatal) assert.match(report.fatal ?? '', c.fatal);
      if (c.decision)
        assert.ok(
          report.decisions.some(d => c.decision!.test(d.message)),
          JSON.stringify(report.decisions),
        );
    });
  }
});

describe('migrate: hostile templates from the attack suite', () => {
  // The ones that once escaped as exceptions (deep expression chains, a name too long for a
  // regular expression); each must end in a spec or a decision.
  const ids = ['long_binary_chain', 'long_attr_chain', 'long_filter_chain', 'giant_name', 'str_constructor_constructor', 'cycler_globals_os'];
  const attacks = ATTACKS.filter(a => ids.includes(a.id));
  test('found the attacks', () => assert.equal(attacks.length, ids.length));
  for (const a of attacks) {
    test(`${a.id}: a spec or a decision, never an exception`, () => {
      const m = migrateTemplateText(a.template, 'attack');
      if (m.spec) assert.equal((parseYaml(m.spec) as { template: string }).template, m.body);
      else assert.ok(m.decisions.some(d => /could not be migrated/.test(d.message)));
    });
  }
});

/**
 * Templates published by others (test/corpus/published) on the legacy API: the migration keeps
 * what they render (apart from the alias renaming), or says where it cannot; the spec reads back
 * byte for byte; and the spec gets no finding the legacy template did not already have.
 */
describe('migrate: published legacy templates', () => {
  const dir = join(ROOT, 'test/corpus/published');
  const cases: { file: string; text: string; name: string; host: string }[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!/\.(sql|jinjasql)$/.test(f)) continue;
    const meta = JSON.parse(readFileSync(join(dir, f.replace(/\.(sql|jinjasql)$/, '.case.json')), 'utf8')) as { api?: string };
    if (meta.api === 'collaboration') continue;
    const host = readFileSync(join(dir, f), 'utf8');
    for (const r of extractTemplates(host, detectKind(f, undefined, host))) {
      if (r.meta.procedure === 'get_sql_jinja' || r.meta.api === 'collaboration') continue;
      cases.push({ file: f, text: r.text, name: r.meta.templateName ?? f.replace(/\..*$/, ''), host });
    }
  }

  test('found at least ten published legacy templates', () => assert.ok(cases.length >= 10, `${cases.length} templates`));

  const loud = (text: string, path: string, api: 'legacy' | 'collaboration') =>
    analyzeDocument(parseDocument({ text, path }), { api })
      .filter(f => f.severity === 'error' || f.severity === 'warning')
      .map(f => f.code);

  for (const c of cases) {
    test(`${c.file}: renders kept or the difference reported; no new finding in the spec`, () => {
      const m = migrateTemplateText(c.text, c.name);
      if (!m.spec) {
        // A template the migration cannot handle is a decision for a person, never a crash.
        assert.ok(m.decisions.length > 0);
        return;
      }
      assert.equal((parseYaml(m.spec) as { template: string }).template, m.body);
      if (m.equal < m.compared)
        assert.ok(
          m.decisions.some(d => d.diff),
          'a render that differs is reported with its diff',
        );
      const before = loud(c.text, `${c.name}.jinjasql`, 'legacy');
      const after = loud(m.spec, `${m.name}.yaml`, 'collaboration').filter(code => code !== 'DCR114');
      // A finding the legacy template did not have is either absent or a decision the report names.
      const fresh = after.filter(code => !before.includes(code) && !m.decisions.some(d => d.message.startsWith(`The migrated spec gets ${code} `)));
      assert.deepEqual(fresh, [], `new findings in the migrated spec, not reported (the legacy template had: ${before.join(', ') || 'none'})`);
    });
  }
});
