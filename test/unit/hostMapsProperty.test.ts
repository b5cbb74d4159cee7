// Property tests of the host maps: for any template text, encoded in any YAML scalar style (as
// the `yaml` package writes it, folding long lines) or as a SQL string literal, the template
// read back is the text, the source walk reproduces it without falling back, and every
// character maps to the host character that produced it. Fixed seed, printed for replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDocument, stringify, Scalar } from 'yaml';
import { mapScalar, type ScalarStyle } from '../../core/src/sources/yamlScalar.ts';
import { extractSources } from '../../core/src/sources/regions.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
console.log(`host maps: seed ${SEED}, ${RUNS} runs per property`);

const PIECES = [
  'SELECT',
  ' ',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\t',
  '{{ a }}',
  '{% if x %}',
  "'",
  "''",
  '"',
  '\\',
  '\\n',
  '#',
  ' #',
  ': ',
  '-',
  'é',
  '😀',
  'p1.col',
  ',',
  '$',
];
const text = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 30 }).map(a => a.join(''));

/** What may legitimately produce a template character other than itself. */
function producedBy(host: string, at: number, ch: string): boolean {
  const h = host[at];
  if (h === ch) return true;
  if (h === '\\' || h === "'") return true;
  if ((ch === ' ' || ch === '\n') && (h === '\n' || h === '\r')) return true;
  // A surrogate pair decoded from one escape maps both halves to it.
  return at > 0 && host[at - 1] === '\\' && /[\ud800-\udfff]/.test(ch);
}

const STYLES: ScalarStyle[] = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'];

test('YAML: every scalar style the yaml package writes maps back character by character', () => {
  let walked = 0;
  fc.assert(
    fc.property(text, fc.constantFrom(...STYLES), fc.integer({ min: 20, max: 80 }), (t, style, lineWidth) => {
      const node = new Scalar(t);
      node.type = style;
      const src = `spec_type: template\nname: n\n` + stringify({ template: node }, { lineWidth, minContentWidth: 10 });
      const doc = parseDocument(src, { strict: false });
      const s = (doc.contents as { items: { key: Scalar; value: Scalar<string> }[] }).items.find(p => p.key.value === 'template')!.value;
      // What a YAML 1.2 parser reads is the reference (the writer does not always round-trip
      // whitespace-only text; the reader is right per the spec).
      // The writer sometimes emits YAML that does not read back (a plain '-'): not a case.
      if (doc.errors.length || typeof s.value !== 'string') return;
      const v = s.value;
      const m = mapScalar(src, s.type as ScalarStyle, s.range![0], s.range![1], v, 0);
      assert.ok(m.exact, `walk did not reproduce ${JSON.stringify(v)} as ${s.type}:\n${src}`);
      assert.equal(m.hostOf.length, v.length + 1);
      for (let i = 0; i < v.length; i++) {
        assert.ok(i === 0 || m.hostOf[i]! >= m.hostOf[i - 1]!, 'monotonic');
        assert.ok(producedBy(src, m.hostOf[i]!, v[i]!), `${s.type}: char ${i} ${JSON.stringify(v[i])} <- ${JSON.stringify(src[m.hostOf[i]!])}\n${src}`);
      }
      walked++;
    }),
    { seed: SEED, numRuns: RUNS },
  );
  assert.ok(walked > RUNS * 0.9, `only ${walked} of ${RUNS} cases were valid YAML`);
});

const TRIVIA = ['', ' ', '\n', ' -- c\n', ' // c\n', ' /* c */ '];

test('SQL: a template in a quoted or $$ literal, with comments between arguments, reads back exactly', () => {
  let checked = 0;
  fc.assert(
    fc.property(text, fc.boolean(), fc.boolean(), fc.array(fc.constantFrom(...TRIVIA), { minLength: 6, maxLength: 6 }), (t, dollar, backslash, tr) => {
      if (!t.trim()) return; // an empty template is said, not checked (DCR407)
      // Snowflake ends a $$ string at the first $$: such text cannot be written that way.
      if (dollar && (t.includes('$$') || t.endsWith('$'))) return;
      const lit = dollar ? `$$${t}$$` : `'${t.replace(/\\/g, '\\\\').replace(/'/g, backslash ? "\\'" : "''")}'`;
      const host = `CALL${tr[0] || ' '}x.consumer.create_template_request${tr[1]}(${tr[2]}'room'${tr[3]},${tr[4]}'name',${tr[5]}${lit});`;
      const { regions, notices } = extractSources(host, 'worksheet');
      assert.deepEqual(notices, []);
      assert.equal(regions.length, 1, host);
      const r = regions[0]!;
      assert.equal(r.text, t);
      for (let i = 0; i < t.length; i++) {
        const at = r.toHost({ start: i, end: i + 1 });
        assert.ok(producedBy(host, at.start, t[i]!), `char ${i} of ${JSON.stringify(t)} in ${JSON.stringify(host)}`);
      }
      checked++;
    }),
    { seed: SEED, numRuns: RUNS },
  );
  assert.ok(checked > RUNS / 2);
});

test('YAML inside a SQL string: the spec of REGISTER_TEMPLATE maps through both layers', () => {
  let checked = 0;
  fc.assert(
    fc.property(text, fc.constantFrom(...STYLES), fc.constantFrom('dollar', "''", "\\'"), (t, style, quoting) => {
      const node = new Scalar(t);
      node.type = style;
      const spec = `api_version: 2.0.0\nspec_type: template\nname: n\nversion: v1\ntype: sql_analysis\n` + stringify({ template: node }, { lineWidth: 40 });
      const doc = parseDocument(spec, { strict: false });
      const s = (doc.contents as { items: { key: Scalar; value: Scalar<string> }[] }).items.find(p => p.key.value === 'template')!.value;
      if (doc.errors.length || typeof s.value !== 'string') return;
      if (quoting === 'dollar' && (spec.includes('$$') || spec.endsWith('$'))) return;
      if (!s.value.trim()) return; // an empty template is said, not checked (DCR407)
      const lit = quoting === 'dollar' ? `$$${spec}$$` : `'${spec.replace(/\\/g, '\\\\').replace(/'/g, quoting === "''" ? "''" : "\\'")}'`;
      const host = `CALL samooha_by_snowflake_local_db.registry.register_template('reg', ${lit});`;
      const { regions, notices } = extractSources(host, 'worksheet');
      assert.deepEqual(notices, []);
      assert.equal(regions.length, 1);
      const r = regions[0]!;
      assert.equal(r.text, s.value);
      for (let i = 0; i < r.text.length; i++) {
        const at = r.toHost({ start: i, end: i + 1 });
        assert.ok(
          producedBy(host, at.start, r.text[i]!),
          `char ${i} ${JSON.stringify(r.text[i])} <- ${JSON.stringify(host[at.start])} in ${JSON.stringify(host)}`,
        );
      }
      checked++;
    }),
    { seed: SEED, numRuns: RUNS },
  );
  assert.ok(checked > RUNS / 2, `only ${checked} cases checked`);
});
