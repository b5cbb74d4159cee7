/**
 * Benchmarks of the tool as users meet it (figures printed, never asserted):
 * (a) diagnostics latency after an edit: the analysis in-process, and through the real
 *     language server over stdio (didChange → matching publishDiagnostics, debounce 0);
 * (b) `dcr check` throughput on 1,000 generated templates (one process);
 * (c) sqlfluff (jinja templater, Snowflake dialect) on 50 of them, as a ratio from this run;
 * (d) preview refresh after an edit: core's renderAnalysis for 2 and 5 clean rooms.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseDocument, analyzeDocument } from '../core/src/index.js';
import { parse } from '../core/src/index.js';
import { benchProfile, makeTemplate, type BenchTemplate } from './templates.js';
import { stats, type Stats } from './engine.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const SIZES = [50, 300, 2000];
const ms = (x: number) => x.toFixed(1).padStart(8);

/** A small edit that keeps the template valid: a comment line whose text changes each time. */
function edited(t: BenchTemplate, i: number): string {
  return t.template.replace('{# Generated benchmark template', `{# edit ${i} Generated benchmark template`);
}

function inProcessLatency(t: BenchTemplate, n: number): Stats {
  const samples: number[] = [];
  for (let i = 0; i < n + 2; i++) {
    const text = edited(t, i);
    const t0 = performance.now();
    analyzeDocument(parseDocument({ text, path: 'bench.jinjasql' }), { api: 'legacy' });
    if (i >= 2) samples.push(performance.now() - t0); // two warm-up rounds
  }
  return stats(samples);
}

async function serverLatency(templates: BenchTemplate[], rounds: number[]): Promise<Stats[] | string> {
  const { TestClient } = await import('../test/lsp/harness.js');
  if (!existsSync(join(ROOT, 'dist', 'server.js'))) return 'server bundle missing (run the build)';
  const client = await TestClient.start({ settings: { diagnostics: { debounceMs: 0 } } });
  try {
    const out: Stats[] = [];
    for (let k = 0; k < templates.length; k++) {
      const t = templates[k]!;
      const uri = `file:///bench/t${k}.jinjasql`;
      let text = edited(t, 0);
      await client.open(uri, text);
      await client.waitForLatest(uri);
      const samples: number[] = [];
      for (let i = 1; i <= rounds[k]! + 1; i++) {
        const next = edited(t, i);
        const t0 = performance.now();
        await client.change(uri, next, text);
        await client.waitForLatest(uri);
        if (i > 1) samples.push(performance.now() - t0);
        text = next;
      }
      out.push(stats(samples));
    }
    return out;
  } finally {
    await client.shutdown();
  }
}

/** 1,000 templates of varied shape: the 50-line template with its sections renamed. */
function corpusDir(n: number): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'dcr-bench-'));
  mkdirSync(join(dir, 'templates'));
  const base = makeTemplate(50).template;
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const f = join(dir, 'templates', `t${String(i).padStart(4, '0')}.jinjasql`);
    writeFileSync(f, base.replace(/cte_0/g, `cte_${i}`).replace(/overlap_0/g, `overlap_${i % 97}`));
    files.push(f);
  }
  return { dir, files };
}

function dcrCheck(dir: string, count: number): { seconds: number; filesPerSecond: number } | string {
  const dcr = join(ROOT, 'dist', 'dcr.js');
  if (!existsSync(dcr)) return 'dist/dcr.js missing (run the build)';
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [dcr, 'check', join(dir, 'templates'), '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status === 2 || r.error) return `dcr check failed: ${(r.stderr || r.error?.message || '').trim().split('\n')[0]}`;
  return { seconds, filesPerSecond: count / seconds };
}

function sqlfluff(files: string[]): { seconds: number; filesPerSecond: number; version: string; templated: number } | string {
  const v = spawnSync('sqlfluff', ['--version'], { encoding: 'utf8' });
  if (v.status !== 0 || v.error) return 'sqlfluff unavailable';
  const cfg = join(HERE, 'sqlfluff');
  // sqlfluff 1.4 builds a file's Jinja environment before it loads library_path, so the
  // filters registered on import reach only later files: a one-line file goes first.
  const warmup = join(dirname(files[0]!), '..', '_warmup.jinjasql');
  writeFileSync(warmup, 'SELECT 1\n');
  const t0 = performance.now();
  // The config (dialect, jinja templater, DCR filters via library_path) is found from --config.
  const r = spawnSync('sqlfluff', ['lint', '--config', join(cfg, '.sqlfluff'), '--format', 'json', '--nofail', '--processes', '1', warmup, ...files], {
    encoding: 'utf8',
    cwd: cfg,
    // No __pycache__ left in the repository by loading the filter library.
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    maxBuffer: 256 << 20,
    timeout: 1_800_000,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) return `sqlfluff failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').pop()}`;
  let templated = 0;
  try {
    const report = JSON.parse(r.stdout) as { filepath: string; violations: { code: string }[] }[];
    templated = report.filter(f => f.filepath !== warmup && !f.violations.some(x => x.code === 'TMP')).length;
  } catch {
    // figures stay without the rendered count
  }
  return { seconds, filesPerSecond: files.length / seconds, version: v.stdout.trim(), templated };
}

async function previewLatency(t: BenchTemplate, rooms: number, n: number): Promise<{ stats: Stats; renders: number; stopped: number } | string> {
  try {
    const { parseProfile } = await import('../core/src/index.js');
    const { renderAnalysis } = await import('../core/src/index.js');
    const profile = parseProfile(benchProfile(t, rooms));
    const analysis = profile.analyses.get('bench');
    if (!analysis) return `profile did not parse: ${profile.problems.map(p => p.message).join('; ')}`;
    const samples: number[] = [];
    let renders = 0;
    let stopped = 0;
    for (let i = 0; i < n + 2; i++) {
      const text = edited(t, i);
      const t0 = performance.now();
      const parsed = parse(text);
      const r = renderAnalysis(text, parsed, analysis, profile);
      if (i >= 2) samples.push(performance.now() - t0);
      const list = ((r as unknown as { renders?: unknown[] }).renders ?? (Array.isArray(r) ? r : [])) as { outcome?: { error: unknown } }[];
      renders = list.length;
      stopped = list.filter(x => x.outcome?.error).length;
    }
    return { stats: stats(samples), renders, stopped };
  } catch (e) {
    return `renderAnalysis unavailable (${(e as Error).message})`;
  }
}

export async function runToolingBenchmarks(): Promise<void> {
  const templates = SIZES.map(n => makeTemplate(n));
  const rounds = [60, 30, 10];

  console.log('\n(a) diagnostics latency after an edit (ms, p50 / p95), debounce excluded');
  const inproc = templates.map((t, i) => inProcessLatency(t, rounds[i]!));
  let server: Stats[] | string;
  try {
    server = await serverLatency(templates, rounds);
  } catch (e) {
    server = `server run failed: ${(e as Error).message}`;
  }
  console.log('template    | in-process p50      p95 | server stdio p50      p95');
  templates.forEach((t, i) => {
    const s = typeof server === 'string' ? null : server[i]!;
    console.log(`${t.name.padEnd(11)} | ${ms(inproc[i]!.median)} ${ms(inproc[i]!.p95)} | ${s ? `${ms(s.median)} ${ms(s.p95)}` : '(no server figures)'}`);
  });
  if (typeof server === 'string') console.log(server);
  console.log('in-process = parseDocument + analyzeDocument; server = didChange → publishDiagnostics of that version (debounceMs 0)');
  for (const t of templates) {
    const found = analyzeDocument(parseDocument({ text: t.template, path: 'bench.jinjasql' }), { api: 'legacy' });
    const byCode = new Map<string, number>();
    for (const f of found) byCode.set(`${f.code}/${f.severity}`, (byCode.get(`${f.code}/${f.severity}`) ?? 0) + 1);
    console.log(`  ${t.name}: ${[...byCode].map(([k, n]) => `${k} x${n}`).join(', ') || 'no findings'}`);
  }

  console.log('\n(b, c) dcr check throughput, and sqlfluff on the same kind of templates');
  const { dir, files } = corpusDir(1000);
  try {
    const check = dcrCheck(dir, files.length);
    if (typeof check === 'string') console.log(check);
    else
      console.log(
        `dcr check: ${files.length} templates in ${check.seconds.toFixed(2)} s = ${check.filesPerSecond.toFixed(0)} files/s (one process, start-up included)`,
      );
    const subset = files.slice(0, 50);
    const fluff = sqlfluff(subset);
    if (typeof fluff === 'string') console.log(fluff);
    else {
      const ours = dcrCheckSubset(dir, subset);
      const ratio =
        typeof ours === 'string'
          ? ''
          : `; dcr check on the same 50: ${ours.seconds.toFixed(2)} s → sqlfluff takes ${(fluff.seconds / ours.seconds).toFixed(1)}x as long`;
      console.log(
        `sqlfluff (${fluff.version}, jinja templater, snowflake dialect): 50 templates (${fluff.templated} rendered with the DCR filters) in ${fluff.seconds.toFixed(2)} s = ${fluff.filesPerSecond.toFixed(2)} files/s${ratio}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log('\n(d) preview refresh after an edit (ms, p50 / p95): parse + renderAnalysis, every render of the analysis');
  for (const lines of [300, 2000]) {
    const t = templates[SIZES.indexOf(lines)]!;
    for (const rooms of [2, 5]) {
      const r = await previewLatency(t, rooms, lines === 300 ? 30 : 10);
      if (typeof r === 'string') console.log(`${t.name} ${rooms} rooms: ${r}`);
      else
        console.log(
          `${t.name.padEnd(10)} ${rooms} rooms (${r.renders} renders${r.stopped ? `, ${r.stopped} stopped by the render budget` : ''}): ${ms(r.stats.median)} ${ms(r.stats.p95)}`,
        );
    }
  }
}

function dcrCheckSubset(dir: string, files: string[]): { seconds: number } | string {
  const sub = join(dir, 'subset');
  mkdirSync(sub, { recursive: true });
  for (const f of files) copyFileSync(f, join(sub, f.split('/').pop()!));
  const dcr = join(ROOT, 'dist', 'dcr.js');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [dcr, 'check', sub, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status === 2 || r.error) return 'dcr check failed';
  return { seconds: (performance.now() - t0) / 1000 };
}
