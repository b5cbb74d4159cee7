/**
 * The published corpus: clean room templates published by others (Snowflake's docs pages and
 * their code samples), each kept in its host form with its source address, the arguments its
 * page uses, a hand-judged expectation and a reference render from real Jinja2 + the JinjaSQL
 * 0.1.8 bind layer (published/README.md). No Python here: the goldens are committed and
 * published/regenerate.sh rebuilds them.
 *
 * Per file the engine is compared on three things: how many templates it finds, whether each
 * render is byte-identical to the golden (output, `?` query and binds), and its warnings and
 * errors (code + line) against the expectation. Information findings are counted, never judged.
 *
 * Every mismatch of today is listed in published/known-gaps.json. The run fails on a mismatch
 * that is not listed, and on a listed one that no longer happens, so the list only shrinks.
 * PUBLISHED_STRICT=1 fails on every mismatch, listed or not; PUBLISHED_MISMATCHES=1 prints them.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, analyzeDocument, type Api } from '../../core/src/index.js';
import { renderString, parseArguments, repr } from '../../core/src/index.js';
import type { PyValue } from '../../core/src/index.js';
import type { ParseResult } from '../../core/src/index.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'published');
const HOST = /\.(sql|ya?ml|jinjasql)$/;

interface Expected {
  code: string;
  line: number;
}

interface CaseFile {
  source: string;
  api: Api;
  args: Record<string, unknown> | Record<string, unknown>[];
  expect: { templates: number; findings: Expected[] };
  note: string;
  trimmed?: boolean;
}

type GoldenRender = { text: string; query: string; binds: [string, string][]; output: string } | { text: string; error: { type: string; message: string } };

interface Case {
  file: string;
  text: string;
  spec: CaseFile;
  /** One argument set per expected template, parsed as the CLI parses --args (3.0 stays a float). */
  args: PyValue[];
  golden: GoldenRender[];
}

function loadCases(): Case[] {
  const out: Case[] = [];
  for (const file of readdirSync(DIR)
    .filter(n => HOST.test(n))
    .sort()) {
    const base = file.replace(HOST, '');
    const spec = JSON.parse(readFileSync(join(DIR, `${base}.case.json`), 'utf8')) as CaseFile;
    const goldenPath = join(DIR, `${base}.golden.json`);
    const golden = existsSync(goldenPath) ? (JSON.parse(readFileSync(goldenPath, 'utf8')) as { templates: GoldenRender[] }).templates : [];
    const sets = Array.isArray(spec.args) ? spec.args : Array.from({ length: spec.expect.templates }, () => spec.args as Record<string, unknown>);
    out.push({ file, text: readFileSync(join(DIR, file), 'utf8'), spec, args: sets.map(a => parseArguments(JSON.stringify(a))), golden });
  }
  return out;
}

/** Null when the engine's render equals the golden, else a short reason. */
function compareRender(text: string, args: PyValue, g: GoldenRender, parsed: ParseResult): string | null {
  const r = renderString(text, args, { jinjasql: true, parsed });
  if ('error' in g) {
    if (!r.error) return `expected ${g.error.type}, got output`;
    return r.error.type === g.error.type ? null : `expected ${g.error.type}, got ${r.error.type}`;
  }
  if (r.error) return `expected output, got ${r.error.type}: ${r.error.message}`;
  if (r.output !== g.output) return `output differs at ${firstDiff(g.output, r.output ?? '')}`;
  if (r.query !== g.query) return `query differs at ${firstDiff(g.query, r.query ?? '')}`;
  const got = (r.binds ?? []).map(b => `${b.name}=${repr(b.value)}`).join(', ');
  const want = g.binds.map(([n, v]) => `${n}=${v}`).join(', ');
  return got === want ? null : `binds: expected [${want}], got [${got}]`;
}

function firstDiff(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `${i}: expected ${JSON.stringify(a.slice(i, i + 30))}, got ${JSON.stringify(b.slice(i, i + 30))}`;
}

const tally = { files: 0, templates: 0, templatesExpected: 0, renders: 0, rendersIdentical: 0, kept: 0, fp: 0, fn: 0, information: 0 };
const mismatches = new Map<string, string[]>();
const details: string[] = [];

function mismatch(file: string, key: string, detail: string): void {
  const list = mismatches.get(file) ?? [];
  list.push(key);
  mismatches.set(file, list);
  details.push(`${file}: ${key}${detail ? ` (${detail})` : ''}`);
}

/** Runs one case, records its figures and mismatches. */
function run(c: Case): void {
  const model = parseDocument({ text: c.text, path: c.file });
  const expectedTemplates = c.spec.expect.templates;
  tally.files++;
  tally.templatesExpected += expectedTemplates;
  tally.templates += Math.min(model.templates.length, expectedTemplates);
  if (model.templates.length !== expectedTemplates) {
    mismatch(c.file, `templates ${model.templates.length}/${expectedTemplates}`, 'found / expected');
  }

  // Renders: template i of the host against golden i; a template not found is not identical.
  for (let i = 0; i < expectedTemplates; i++) {
    tally.renders++;
    const t = model.templates[i];
    const g = c.golden[i];
    if (!t || !g) {
      mismatch(c.file, `render ${i + 1}`, t ? 'no golden: run published/regenerate.sh' : 'template not found');
      continue;
    }
    const reason = t.region.text === g.text ? compareRender(t.region.text, c.args[i]!, g, t.parse) : `template text ${firstDiff(g.text, t.region.text)}`;
    if (reason) mismatch(c.file, `render ${i + 1}`, reason);
    else tally.rendersIdentical++;
  }

  // Findings: warnings and errors, as a multiset of code@line. An expected finding counts as
  // kept whatever the severity the engine gives it.
  const lineOf = (offset: number) => model.lines.positionAt(offset).line + 1;
  const findings = analyzeDocument(model, { api: c.spec.api });
  tally.information += findings.filter(f => f.severity === 'information').length;
  const pending = new Map<string, number>();
  for (const e of c.spec.expect.findings) pending.set(`${e.code} L${e.line}`, (pending.get(`${e.code} L${e.line}`) ?? 0) + 1);
  const unexpected: string[] = [];
  for (const f of findings) {
    const key = `${f.code} L${lineOf(f.span.start)}`;
    const left = pending.get(key) ?? 0;
    if (left > 0) {
      pending.set(key, left - 1);
      tally.kept++;
    } else if (f.severity === 'error' || f.severity === 'warning') {
      unexpected.push(key);
      tally.fp++;
      mismatch(c.file, `FP ${key}`, f.message.slice(0, 100));
    }
  }
  for (const [key, left] of pending) {
    for (let k = 0; k < left; k++) {
      tally.fn++;
      mismatch(c.file, `FN ${key}`, 'expected, not reported');
    }
  }
}

/** The items of `a` left after taking away one occurrence per item of `b`. */
function without(a: string[], b: string[]): string[] {
  const left = [...b];
  return a.filter(x => {
    const i = left.indexOf(x);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

const cases = loadCases();
const known = JSON.parse(readFileSync(join(DIR, 'known-gaps.json'), 'utf8')) as Record<string, string[]>;

describe('published corpus', () => {
  it('data: every host file has its case, golden and source, and there are at least 60 templates', () => {
    assert.ok(cases.length > 0, 'no published case found');
    const templates = cases.reduce((n, c) => n + c.spec.expect.templates, 0);
    assert.ok(templates >= 60, `only ${templates} templates`);
    for (const c of cases) {
      assert.match(c.spec.source, /^https:\/\//, `${c.file}: source must be a public address`);
      assert.ok(c.spec.api === 'legacy' || c.spec.api === 'collaboration', `${c.file}: api`);
      assert.equal(c.args.length, c.spec.expect.templates, `${c.file}: one argument set per template`);
      assert.equal(c.golden.length, c.spec.expect.templates, `${c.file}: golden renders vs expected templates (run published/regenerate.sh)`);
      for (const e of c.spec.expect.findings) assert.match(e.code, /^DCR\d{3}$/, `${c.file}: finding code`);
    }
    for (const file of Object.keys(known))
      assert.ok(
        cases.some(c => c.file === file),
        `known-gaps.json names unknown file ${file}`,
      );
  });

  for (const c of cases) {
    it(c.file, () => {
      run(c);
      const got = [...(mismatches.get(c.file) ?? [])].sort();
      if (process.env.PUBLISHED_STRICT === '1') {
        assert.deepEqual(got, [], `${c.file}: mismatches (strict mode)`);
        return;
      }
      // Multisets: the same finding twice on one line is two mismatches.
      const listed = [...(known[c.file] ?? [])].sort();
      const fresh = without(got, listed);
      const fixed = without(listed, got);
      assert.deepEqual(fresh, [], `${c.file}: new mismatch not in known-gaps.json`);
      assert.deepEqual(fixed, [], `${c.file}: fixed, remove from known-gaps.json`);
    });
  }
});

after(() => {
  console.log(
    `published: ${tally.files} files, ${tally.templates}/${tally.templatesExpected} templates found, ` +
      `${tally.rendersIdentical}/${tally.renders} renders identical, ${tally.kept} findings kept, ` +
      `${tally.fp} false positives, ${tally.fn} misses (${tally.information} information not judged)`,
  );
  if (process.env.PUBLISHED_MISMATCHES === '1') for (const d of details) console.log(`  ${d}`);
});
