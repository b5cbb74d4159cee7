/**
 * The rule pages are part of the honesty check: each page's "Example" must produce the
 * page's code, and each "Fix" must produce no warning or error. A page whose example the
 * checker does not flag teaches users something the tool will not tell them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, analyzeDocument, analyzeProfileDocument, parseProfile, RULES } from '../../core/src/index.js';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'rules');
const PATH_OF: Record<string, string> = { jinja: 'example.jinjasql', sql: 'example.sql', yaml: 'example.yaml' };

interface Block {
  section: string;
  lang: string;
  text: string;
}

function blocks(md: string): Block[] {
  const out: Block[] = [];
  for (const sec of md.split(/^## /m).slice(1)) {
    const section = sec.split('\n')[0]!.trim();
    for (const m of sec.matchAll(/```(jinja|sql|yaml|json)\n([^]*?)```/g)) out.push({ section, lang: m[1]!, text: m[2]! });
  }
  return out;
}

describe('rule pages', () => {
  it('every catalog code has a page and a row in the README table', () => {
    const pages = new Set(readdirSync(DOCS));
    const readme = readFileSync(join(DOCS, 'README.md'), 'utf8');
    const missing = [...RULES.keys()].filter(code => !pages.has(`${code}.md`) || !readme.includes(`[${code}](${code}.md)`));
    assert.deepEqual(missing, []);
  });

  for (const code of [...RULES.keys()]) {
    it(`${code}: example is flagged, fix is clean`, () => {
      const md = readFileSync(join(DOCS, `${code}.md`), 'utf8');
      const problems: string[] = [];
      const all = blocks(md);
      // DCR3xx pages pair a cleanrooms.json (json) with the template it analyses
      // (example.jinjasql) in one section; such a section is judged as a whole.
      const findingsOf = (b: Block) => {
        const section = all.filter(x => x.section === b.section);
        const template = section.find(x => x.lang === 'jinja')?.text;
        if (b.lang === 'json')
          return analyzeProfileDocument(b.text, template === undefined ? {} : { templateText: p => (p === 'example.jinjasql' ? template : undefined) });
        const profileBlock = section.find(x => x.lang === 'json');
        const profile = profileBlock ? { profile: { profile: parseProfile(profileBlock.text), templatePath: 'example.jinjasql' } } : {};
        const api = b.lang === 'yaml' || /Collaboration/.test(b.section) || code === 'DCR111' ? 'collaboration' : 'legacy';
        return analyzeDocument(parseDocument({ text: b.text, path: PATH_OF[b.lang] }), { api, ...profile });
      };
      let examples = 0;
      for (const b of all) {
        // YAML fragments without a spec header are excerpts, not documents.
        if (b.lang === 'yaml' && !/^spec_type:/m.test(b.text)) continue;
        if (b.section.startsWith('Example')) examples++;
        const own = findingsOf(b);
        const findings = all.some(x => x.section === b.section && x.lang === 'json') ? all.filter(x => x.section === b.section).flatMap(findingsOf) : own;
        if (b.section.startsWith('Example') && !findings.some(f => f.code === code)) {
          problems.push(`${b.section}: ${code} not reported (got ${findings.map(f => f.code).join(', ') || 'nothing'})`);
        }
        if (b.section.startsWith('Fix')) {
          const loud = own.filter(f => f.severity === 'error' || f.severity === 'warning');
          if (loud.length) problems.push(`${b.section}: ${loud.map(f => `${f.code} "${b.text.slice(f.span.start, f.span.end)}"`).join(', ')}`);
        }
      }
      // A page whose example is not found (a renamed section, a fence without its language)
      // would otherwise pass while checking nothing.
      assert.ok(examples > 0, `${code}.md has no Example block that was checked`);
      assert.deepEqual(problems, []);
    });
  }

  it('the catalog is not empty', () => assert.ok(RULES.size >= 30, `${RULES.size} codes`));
});
