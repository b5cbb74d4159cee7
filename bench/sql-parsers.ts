/**
 * The measurement behind docs/decisions/sql-parser.md: node-sql-parser (Snowflake build),
 * optionally @polyglot-sql/sdk (set POLYGLOT_DIR to a folder where it is installed; it is not
 * a dependency) and our parser, on the rendered SQL of the syntax proof corpus and of the
 * honesty corpus: valid SQL accepted, planted errors found at the right token, time per KB,
 * size and load time. Figures only.
 *
 *   node --import tsx bench/sql-parsers.ts
 *   POLYGLOT_DIR=/tmp/x/node_modules/@polyglot-sql/sdk node --import tsx bench/sql-parsers.ts
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { splitStatements, flattenStatements } from '../core/src/index.js';
import { SourceMap } from '../core/src/index.js';
import { parseStatementSyntax } from '../core/src/index.js';
import { FAULTY } from '../test/sql/syntax/faulty.js';
import { renderedCorpus, type RenderedCase } from './sql.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));

/** A parser's verdict on one statement: null when accepted, else the rendered offset of the error. */
type Check = (sql: string, map: SourceMap, base: number) => number | null;

interface Candidate {
  name: string;
  check: Check;
  size: string;
  load: string;
}

function loadMs(code: string): string {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', cwd: ROOT });
    const v = Number(r.stdout.trim());
    if (r.status === 0 && Number.isFinite(v)) runs.push(v);
  }
  return runs.length ? `${Math.min(...runs).toFixed(0)} ms` : 'n/a';
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

async function candidates(): Promise<Candidate[]> {
  const out: Candidate[] = [];
  // Ours, bundled and minified as it ships.
  const bundle = await build({
    entryPoints: [join(ROOT, 'core/src/sql/syntax/parser.ts')],
    bundle: true,
    minify: true,
    format: 'cjs',
    platform: 'node',
    write: false,
  });
  const oursFile = join(process.env.TMPDIR ?? '/tmp', 'dcr-syntax-parser.cjs');
  (await import('node:fs')).writeFileSync(oursFile, bundle.outputFiles[0]!.contents);
  out.push({
    name: 'ours (core/src/sql/syntax)',
    check: (sql, map, base) => {
      const r = parseStatementSyntax(sql, off => {
        const b = map.bindAt(off + base);
        return b ? { start: b.start - base, end: b.end - base } : null;
      });
      return r.errors[0] ? r.errors[0].start : r.unsupported ? r.unsupported.offset : null;
    },
    size: kib(bundle.outputFiles[0]!.contents.length),
    load: loadMs(
      `const t=performance.now(); const {createRequire}=await import('node:module'); createRequire(import.meta.url)(${JSON.stringify(oursFile)}); console.log(performance.now()-t)`,
    ),
  });
  // node-sql-parser, its Snowflake build (what core used before), while it is still installed.
  let nspPath: string | null = null;
  try {
    nspPath = require.resolve('node-sql-parser/build/snowflake');
  } catch {
    console.log('node-sql-parser is not installed: left out');
  }
  if (nspPath) {
    const { Parser } = require(nspPath) as { Parser: new () => { astify(s: string, o?: unknown): unknown } };
    const nsp = new Parser();
    out.push({
      name: 'node-sql-parser 5.4.0 (snowflake build)',
      check: sql => {
        try {
          nsp.astify(sql, { parseOptions: { includeLocations: true } });
          return null;
        } catch (e) {
          return (e as { location?: { start?: { offset?: number } } }).location?.start?.offset ?? 0;
        }
      },
      size: kib(statSync(nspPath).size),
      load: loadMs(
        `const t=performance.now(); const {createRequire}=await import('node:module'); const {Parser}=createRequire(import.meta.url)(${JSON.stringify(nspPath)}); new Parser(); console.log(performance.now()-t)`,
      ),
    });
  }
  const dir = process.env.POLYGLOT_DIR;
  if (dir) {
    const entry = pathToFileURL(join(dir, 'dist', 'index.node.js')).href;
    const m = (await import(entry)) as {
      init?: () => Promise<void>;
      validate(sql: string, d: string): { valid: boolean; errors: { start?: number; severity: string }[] };
    };
    if (m.init) await m.init();
    const size = readdirSync(join(dir, 'dist')).reduce((n, f) => n + (statSync(join(dir, 'dist', f)).isFile() ? statSync(join(dir, 'dist', f)).size : 0), 0);
    out.push({
      name: '@polyglot-sql/sdk 0.12.1 (validate, snowflake)',
      check: sql => {
        const r = m.validate(sql, 'snowflake');
        const e = r.errors.find(x => x.severity === 'error');
        return r.valid || !e ? null : (e.start ?? 0);
      },
      size: `${kib(size)} (dist/, WASM included)`,
      load: loadMs(
        `const t=performance.now(); const m=await import(${JSON.stringify(entry)}); if (m.init) await m.init(); m.validate('SELECT 1','snowflake'); console.log(performance.now()-t)`,
      ),
    });
  }
  return out;
}

interface Stmt {
  sql: string;
  base: number;
  map: SourceMap;
}

function statements(c: RenderedCase): Stmt[] {
  const sql = c.outcome.output!;
  const map = new SourceMap(c.outcome.segments, c.source);
  return flattenStatements(splitStatements(sql).statements)
    .filter(s => s.kind === 'sql')
    .map(s => ({ sql: sql.slice(s.start, s.end), base: s.start, map }));
}

/** Marked template span of each planted error. */
function markedSpans(): { start: number; end: number }[] {
  return FAULTY.map(m => ({ start: m.indexOf('⟦'), end: m.indexOf('⟧') - 1 }));
}

async function main(): Promise<void> {
  const corpus = renderedCorpus();
  const marks = markedSpans();
  const all = await candidates();
  console.log('SQL parsers on rendered templates (first symbolic render of each)');
  for (const p of all) {
    const accepted = (cases: RenderedCase[]) => cases.filter(c => statements(c).every(s => p.check(s.sql, s.map, s.base) === null)).length;
    let right = 0;
    let rejected = 0;
    corpus.writtenFaulty.forEach((c, i) => {
      const sql = c.outcome.output!;
      for (const s of statements(c)) {
        const at = p.check(s.sql, s.map, s.base);
        if (at === null) continue;
        rejected++;
        const span = s.map.point(at + s.base, sql);
        const m = marks[Number(c.name.split('#')[1])]!;
        if (span && span.start < m.end && m.start < span.end) right++;
        break;
      }
      void i;
    });
    const timed = [...corpus.written, ...corpus.corpusValid].flatMap(statements);
    const bytes = timed.reduce((n, s) => n + s.sql.length, 0);
    // Three warm-up rounds, then the median of seven (the machine is shared).
    const round = () => {
      const t0 = performance.now();
      for (const s of timed) p.check(s.sql, s.map, s.base);
      return performance.now() - t0;
    };
    for (let r = 0; r < 3; r++) round();
    const times = Array.from({ length: 7 }, round).sort((a, b) => a - b);
    const perKb = times[3]! / (bytes / 1024);
    console.log(`\n${p.name}`);
    console.log(`  written valid accepted      ${accepted(corpus.written)}/${corpus.written.length}`);
    console.log(`  corpus valid accepted       ${accepted(corpus.corpusValid)}/${corpus.corpusValid.length}`);
    console.log(`  corpus faulty accepted      ${accepted(corpus.corpusFaulty)}/${corpus.corpusFaulty.length} (policy faults: their SQL mostly parses)`);
    console.log(`  planted errors rejected     ${rejected}/${corpus.writtenFaulty.length}, at the marked token ${right}`);
    console.log(`  time per KB                 ${perKb.toFixed(3)} ms`);
    console.log(`  size                        ${p.size}`);
    console.log(`  load (fresh process)        ${p.load}`);
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
