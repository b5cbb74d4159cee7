/**
 * The honesty corpus: templates in the shapes Snowflake's docs use must produce no
 * warning or error, and each faulty variant must produce exactly the findings marked in it.
 * The expectations are the spec: when a rule disagrees, fix the rule, not the case.
 *
 * Case format (see README.md): an optional first line `⟪…⟫` holds the metadata (expected
 * codes in marker order, `api=…`, a description) and is removed before analysis; every
 * expected range is wrapped in `⟦ … ⟧` and the markers are removed too, positions shifted.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, analyzeDocument, type Api } from '../../core/src/index.js';
import type { Finding } from '../../core/src/index.js';

const ROOT = dirname(fileURLToPath(import.meta.url));
const OPEN = '⟦';
const CLOSE = '⟧';

interface Expected {
  code: string;
  start: number;
  end: number;
}

interface Case {
  id: string;
  path: string;
  text: string;
  api: Api;
  expected: Expected[];
  valid: boolean;
  /** Lines removed above the text (the metadata line), so messages give file lines. */
  headerLines: number;
}

export function parseCase(id: string, raw: string, valid: boolean): Case {
  let body = raw;
  let codes: string[] = [];
  let api: Api | undefined;
  const header = /^⟪([^⟫]*)⟫\r?\n/.exec(raw);
  if (header) {
    body = raw.slice(header[0].length);
    for (const part of header[1]!.split(';').map(s => s.trim())) {
      if (/^(DCR\d{3})(\s+DCR\d{3})*$/.test(part)) codes = part.split(/\s+/);
      else if (part.startsWith('api=')) api = part.slice(4) as Api;
    }
  }
  // Markers nest: an opening marker pairs with the nearest unclosed one; codes follow the
  // order of the opening markers.
  let text = '';
  const ranges: { start: number; end: number; order: number }[] = [];
  let order = 0;
  const pending: { start: number; order: number }[] = [];
  for (const ch of body) {
    if (ch === OPEN) {
      pending.push({ start: text.length, order: order++ });
    } else if (ch === CLOSE) {
      const o = pending.pop();
      if (!o) throw new Error(`${id}: '${CLOSE}' without '${OPEN}'`);
      ranges.push({ start: o.start, end: text.length, order: o.order });
    } else text += ch;
  }
  if (pending.length) throw new Error(`${id}: unclosed '${OPEN}'`);
  if (valid && (ranges.length || codes.length)) throw new Error(`${id}: a valid case cannot expect findings`);
  if (ranges.length !== codes.length) throw new Error(`${id}: ${ranges.length} marked ranges but ${codes.length} codes`);
  ranges.sort((a, b) => a.order - b.order);
  const expected = ranges.map((r, k) => ({ code: codes[k]!, start: r.start, end: r.end }));
  const defaultApi: Api = /\.ya?ml$/.test(id) ? 'collaboration' : 'legacy';
  return { id, path: id, text, api: api ?? defaultApi, expected, valid, headerLines: header ? 1 : 0 };
}

function loadCases(): Case[] {
  const out: Case[] = [];
  for (const kind of ['valid', 'faulty'] as const) {
    for (const name of readdirSync(join(ROOT, kind)).sort()) {
      if (!/\.(jinjasql|sql|ya?ml)$/.test(name)) continue;
      out.push(parseCase(name, readFileSync(join(ROOT, kind, name), 'utf8'), kind === 'valid'));
    }
  }
  return out;
}

const key = (f: Expected) => `${f.code}@${f.start}-${f.end}`;
const counts = { tp: 0, fp: 0, fn: 0, valid: 0, validWithWarnings: 0, faulty: 0 };
const mismatches: string[] = [];

function show(text: string, f: Expected, headerLines = 0): string {
  const snippet = text.slice(f.start, f.end).replace(/\n/g, '\\n');
  const line = text.slice(0, f.start).split('\n').length + headerLines;
  return `${f.code} line ${line} [${f.start},${f.end}) "${snippet.length > 60 ? snippet.slice(0, 57) + '...' : snippet}"`;
}

describe('honesty corpus', () => {
  const cases = loadCases();

  it('markers: positions are translated to the text without markers', () => {
    const c = parseCase('x.jinjasql', '⟪DCR103 DCR101; d⟫\nA ⟦{{ x ⟦| sqlsafe⟧ }}⟧ B', false);
    assert.equal(c.text, 'A {{ x | sqlsafe }} B');
    assert.deepEqual(c.expected, [
      { code: 'DCR103', start: 2, end: 19 },
      { code: 'DCR101', start: 7, end: 16 },
    ]);
  });

  // The range conventions of README.md, checked on the corpus itself so a typo in a marker
  // cannot pass for a rule bug.
  it('markers: every expected range has the shape its code promises', () => {
    const shape: Record<string, RegExp> = {
      DCR004: /^\| ?bind$/,
      DCR005: /^\{\{[^]*\}\}$/,
      DCR006: /^\{\{[^]*\}\}$/,
      DCR007: /^\([^]*\| ?inclause[^]*\)$/,
      DCR101: /^\{\{[^]*\}\}$/,
      DCR102: /^\{\{[^]*\}\}$/,
      DCR103: /^\| ?sqlsafe$/,
      DCR104: /^\| ?sqlsafe$/,
      DCR105: /^\{\{[^]*\}\}$/,
      DCR106: /^\{\{[^]*\}\}$/,
      DCR110: /^[A-Za-z_]\w*\[\d+\]$/,
      DCR111: /^[pPcC]\d*$/,
      DCR112: /^[pPcC]\d*$/,
      DCR113: /^\*$/,
      DCR003: /^\{%[^]*%\}$/,
    };
    const bad: string[] = [];
    for (const c of cases) {
      for (const e of c.expected) {
        const re = shape[e.code];
        if (re && !re.test(c.text.slice(e.start, e.end))) bad.push(`${c.id}: ${show(c.text, e, c.headerLines)}`);
      }
    }
    assert.deepEqual(bad, []);
  });
  for (const c of cases) {
    it(c.id, () => {
      const model = parseDocument({ text: c.text, path: c.path });
      const findings: Finding[] = analyzeDocument(model, { api: c.api });
      const reported = findings.map(f => ({ code: f.code, start: f.span.start, end: f.span.end, severity: f.severity }));
      const expectedKeys = new Set(c.expected.map(key));
      const reportedKeys = new Set(reported.map(key));
      // Information ("could not verify") is always allowed; only warnings and errors must
      // be expected. An expected finding must be reported whatever its severity.
      const fp = reported.filter(r => (r.severity === 'error' || r.severity === 'warning') && !expectedKeys.has(key(r)));
      const fn = c.expected.filter(e => !reportedKeys.has(key(e)));
      const tp = c.expected.length - fn.length;
      counts.tp += tp;
      counts.fp += fp.length;
      counts.fn += fn.length;
      if (c.valid) {
        counts.valid++;
        if (fp.length) counts.validWithWarnings++;
      } else counts.faulty++;
      const problems = [
        ...fn.map(e => `missing ${show(c.text, e, c.headerLines)}`),
        ...fp.map(r => `unexpected ${show(c.text, r, c.headerLines)} (${r.severity})`),
      ];
      if (problems.length) mismatches.push(`${c.id}: ${problems.join('; ')}`);
      assert.deepEqual(problems, [], `${c.id}\n  ${problems.join('\n  ')}`);
    });
  }

  // Runs last (subtests of a suite run in order): the corpus-wide numbers, printed where
  // both the spec reporter (as a diagnostic) and a plain log reader will see them.
  it('summary: precision and recall', t => {
    const precision = counts.tp + counts.fp === 0 ? 1 : counts.tp / (counts.tp + counts.fp);
    const recall = counts.tp + counts.fn === 0 ? 1 : counts.tp / (counts.tp + counts.fn);
    const line =
      `corpus: ${counts.valid} valid (${counts.validWithWarnings} with warnings), ${counts.faulty} faulty; ` +
      `precision ${precision.toFixed(2)} recall ${recall.toFixed(2)} (tp ${counts.tp}, fp ${counts.fp}, fn ${counts.fn})`;
    t.diagnostic(line);
    console.log(line);
    if (process.env.CORPUS_MISMATCHES) console.log(mismatches.join('\n'));
    assert.ok(counts.valid >= 45 && counts.faulty >= 65, `corpus too small: ${line}`);
  });
});
