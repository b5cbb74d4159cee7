/**
 * The rule registry (core/src/analysis/registry.ts) is the one list of what runs: every code
 * of the catalog belongs to a family, each family's module and docs pages exist, and on every
 * corpus template and the bundled examples no family reports a code it does not declare.
 * The quick pass (the first answer after a keystroke) reports nothing the full pass does not.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeDocument, parseDocument, parseProfile, RULES, type Finding } from '../../core/src/index.js';
import { DOCUMENT_FAMILIES, HOST_FAMILIES, TEMPLATE_FAMILIES, type RuleFamily } from '../../core/src/analysis/registry.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ALL = [...TEMPLATE_FAMILIES, ...HOST_FAMILIES, ...DOCUMENT_FAMILIES];

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter(n => /\.(jinjasql|sql|ya?ml)$/.test(n))
    .map(n => join(ROOT, dir, n));
}

const CORPUS = [...files('test/corpus/valid'), ...files('test/corpus/faulty'), ...files('test/corpus/published')];
const EXAMPLES = ['examples/templates', 'examples/worksheets', 'examples/specs'].flatMap(files);
/** Templates for families the corpus never triggers (a scope mistake; SQL that breaks only with three list entries). */
const INLINE = [
  { path: 'scope.jinjasql', text: '{% for x in dimensions %}{% set last = x %}{% endfor %}SELECT {{ last | sqlsafe }} FROM t' },
  { path: 'shapes.jinjasql', text: 'SELECT a{% if dimensions | length == 3 %} b c{% endif %} FROM t' },
];
const PROFILE = parseProfile(readFileSync(join(ROOT, 'examples', 'cleanrooms.json'), 'utf8'));

describe('rule registry', () => {
  test('every code of the catalog has a family, and every family code is in the catalog with a docs page', () => {
    const declared = new Set(ALL.flatMap(f => f.codes));
    for (const r of RULES.values()) assert.ok(declared.has(r.code), `${r.code} is reported by no family of the registry`);
    const known = new Set(RULES.keys());
    for (const f of ALL) {
      assert.ok(f.codes.length > 0, `${f.id} declares no code`);
      assert.ok(existsSync(join(ROOT, f.module)), `${f.id}: ${f.module} does not exist`);
      for (const c of f.codes) {
        assert.ok(known.has(c), `${f.id}: ${c} is not in the catalog`);
        assert.ok(existsSync(join(ROOT, 'docs', 'rules', `${c}.md`)), `${c} has no docs page`);
      }
    }
    assert.equal(new Set(ALL.map(f => f.id)).size, ALL.length, 'family ids are unique');
  });

  test('no family reports a code it does not declare (corpus and examples, quick and full)', () => {
    let runs = 0;
    const seen = new Set<string>();
    const docs = [...[...CORPUS, ...EXAMPLES].map(file => ({ path: file, text: readFileSync(file, 'utf8') })), ...INLINE];
    for (const { path: file, text } of docs) {
      const model = parseDocument({ text, path: file });
      const rel = relative(join(ROOT, 'examples'), file).split('\\').join('/');
      const profile = file.includes(`${join(ROOT, 'examples')}`) ? { profile: PROFILE, templatePath: rel } : undefined;
      for (const depth of ['quick', 'full'] as const) {
        analyzeDocument(model, {
          depth,
          ...(profile ? { profile } : {}),
          onFamily: (family: RuleFamily, out: readonly Finding[]) => {
            runs++;
            for (const f of out) {
              assert.ok(family.codes.includes(f.code), `${relative(ROOT, file)}: family ${family.id} reported ${f.code}, which it does not declare`);
              seen.add(family.id);
            }
          },
        });
      }
    }
    assert.ok(CORPUS.length > 250 && EXAMPLES.length >= 5, `the corpus was found (${CORPUS.length} files, ${EXAMPLES.length} examples)`);
    assert.ok(runs > 1000, `families ran (${runs})`);
    // Each template family produced something somewhere, so the check above judged it.
    assert.deepEqual(
      [...TEMPLATE_FAMILIES, ...HOST_FAMILIES].map(f => f.id).filter(id => !seen.has(id)),
      [],
      'families that never reported anything on the corpus',
    );
  });

  test('the quick pass reports no place and code the full pass does not', () => {
    let compared = 0;
    for (const file of [...CORPUS, ...EXAMPLES]) {
      const model = parseDocument({ text: readFileSync(file, 'utf8'), path: file });
      const key = (f: Finding) => `${f.code}@${f.span.start}-${f.span.end}`;
      const full = new Set(analyzeDocument(model, { depth: 'full' }).map(key));
      for (const f of analyzeDocument(model, { depth: 'quick' })) {
        assert.ok(full.has(key(f)), `${relative(ROOT, file)}: the quick pass reports ${key(f)} (${f.message}) and the full pass does not`);
        compared++;
      }
    }
    assert.ok(compared > 300, `quick findings compared (${compared})`);
  });
});
