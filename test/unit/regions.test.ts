// Templates embedded in host documents: the template text is exactly what Snowflake
// receives, and every template offset maps to the right host offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractTemplates, detectKind } from '../../core/src/sources/regions.ts';

function hostOf(host: string, kind: 'worksheet' | 'spec', needle: string) {
  const [r] = extractTemplates(host, kind);
  assert.ok(r, 'no template found');
  const at = r.text.indexOf(needle);
  assert.ok(at >= 0, `'${needle}' not in the template`);
  const h = r.toHost({ start: at, end: at + needle.length });
  return { region: r, hostText: host.slice(h.start, h.end) };
}

test('worksheet: $$ template of create_template_request, any case and prefix quoting', () => {
  const host = `-- x\nCALL SAMOOHA_BY_SNOWFLAKE_LOCAL_DB."CONSUMER".Create_Template_Request($cr, 'my_t', $$\nSELECT {{ a | sqlsafe }}\n$$);`;
  const { region, hostText } = hostOf(host, 'worksheet', '{{ a | sqlsafe }}');
  assert.equal(hostText, '{{ a | sqlsafe }}');
  assert.equal(region.meta.templateName, 'my_t');
  assert.equal(region.meta.role, 'consumer');
});

test("worksheet: quoted template argument with '' and backslash escapes maps exactly", () => {
  const host = "call p.provider.add_custom_sql_template('Room 1', 'tpl', 'SELECT {{ x }} FROM ''t'' WHERE y = \\'{{ z }}\\'');";
  const { region, hostText } = hostOf(host, 'worksheet', '{{ z }}');
  assert.equal(region.text, "SELECT {{ x }} FROM 't' WHERE y = '{{ z }}'");
  assert.equal(hostText, '{{ z }}');
  assert.equal(region.meta.cleanroom, 'Room 1');
});

test('worksheet: text outside the calls is left alone; calls in comments are ignored', () => {
  const host = "-- consumer.create_template_request('a','b',$$ {{ x }} $$)\nSELECT '$$ not a template $$' FROM t;";
  assert.deepEqual(extractTemplates(host, 'worksheet'), []);
});

test('spec: the template: block scalar maps line by line', () => {
  const host =
    'api_version: 2.0.0\nspec_type: template\nname: t\nversion: v1\ntype: sql_analysis\ntemplate: |\n  SELECT {{ a }}\n    FROM IDENTIFIER({{ source_table[0] }}) p1\n';
  const { region, hostText } = hostOf(host, 'spec', '{{ source_table[0] }}');
  assert.equal(hostText, '{{ source_table[0] }}');
  assert.equal(region.text, 'SELECT {{ a }}\n  FROM IDENTIFIER({{ source_table[0] }}) p1\n');
});

test('document kinds from names and language ids', () => {
  assert.equal(detectKind('a/b.sql.j2'), 'template');
  assert.equal(detectKind('x.jinjasql'), 'template');
  assert.equal(detectKind('w.sql'), 'worksheet');
  assert.equal(detectKind('s.yaml', undefined, 'spec_type: template\n'), 'spec');
  assert.equal(detectKind('other.yaml', undefined, 'kind: Deployment\n'), 'other');
  assert.equal(detectKind('nospec.yaml', undefined, 'api_version: 2.0.0\nname: t\ntemplate: |\n  SELECT 1\n'), 'spec');
  assert.equal(detectKind('analysis.yaml', undefined, 'api_version: 2.0.0\nspec_type: analysis\ntemplate: t_v1\n'), 'other');
  assert.equal(detectKind('config.yaml', undefined, 'template: x\nkind: y\n'), 'other');
  assert.equal(detectKind(undefined, 'jinjasql'), 'template');
});
