/**
 * The figures users feel, through the real language server over stdio and the real `dcr`
 * (printed, never asserted):
 * - keystroke → diagnostics with a profile (an analysis over 2 and over 5 clean rooms);
 * - how long a hover waits while a long analysis runs;
 * - preview refresh after an edit (the server's preview request);
 * - server memory with 500 open templates;
 * - `dcr check`: one small file (start-up included), and 1,000 templates with a profile on one
 *   thread and on every core.
 * Each figure is also written to .bench-out/figures.json; with bench/baseline.json present the
 * ratio to it is printed, so a regression shows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { benchProfile, makeTemplate, type BenchTemplate } from './templates.js';
import { stats, type Stats } from './engine.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const figures: Record<string, number> = {};
const ms = (x: number) => x.toFixed(1).padStart(8);

function record(name: string, value: number): string {
  figures[name] = value;
  const base = baseline()[name];
  return base ? ` (${(value / base).toFixed(2)}x baseline)` : '';
}

let baselineCache: Record<string, number> | undefined;
function baseline(): Record<string, number> {
  if (!baselineCache) {
    const p = join(ROOT, 'bench', 'baseline.json');
    baselineCache = existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { figures: Record<string, number> }).figures : {};
  }
  return baselineCache;
}

function edited(t: BenchTemplate, i: number): string {
  return t.template.replace('{# Generated benchmark template', `{# edit ${i} Generated benchmark template`);
}

/** A workspace folder with the template and a profile whose one analysis spans `rooms` clean rooms. */
function workspace(t: BenchTemplate, rooms: number): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dcr-bench-ws-'));
  writeFileSync(join(dir, 'cleanrooms.json'), benchProfile(t, rooms, true));
  const file = join(dir, 'bench.jinjasql');
  writeFileSync(file, edited(t, 0));
  return { dir, file };
}

function rssOf(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function serverFigures(): Promise<void> {
  const { TestClient } = await import('../test/lsp/harness.js');
  if (!existsSync(join(ROOT, 'dist', 'server.js'))) return console.log('server bundle missing (run the build)');
  console.log('\n(e) through the real server over stdio (ms, p50 / p95; debounce 0)');
  for (const [lines, rooms, rounds] of [
    [300, 2, 40],
    [2000, 5, 15],
  ] as const) {
    const t = makeTemplate(lines);
    const ws = workspace(t, rooms);
    const client = await TestClient.start({ settings: { diagnostics: { debounceMs: 0 } } });
    try {
      const uri = pathToFileURL(ws.file).toString();
      const small = pathToFileURL(join(ws.dir, 'small.jinjasql')).toString();
      let text = edited(t, 0);
      await client.open(uri, text);
      await client.waitForLatest(uri);
      await client.open(small, 'SELECT {{ x | sqlsafe }}');
      await client.waitForLatest(small);
      const keystroke: number[] = [];
      const first: number[] = [];
      const hover: number[] = [];
      const preview: number[] = [];
      for (let i = 1; i <= rounds; i++) {
        const next = edited(t, i);
        const t0 = performance.now();
        await client.change(uri, next, text);
        text = next;
        // A hover on another document while this analysis runs: what the user waits for.
        const h0 = performance.now();
        await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: small }, position: { line: 0, character: 15 } });
        hover.push(performance.now() - h0);
        await client.waitForFirst(uri);
        first.push(performance.now() - t0);
        await client.waitForLatest(uri);
        keystroke.push(performance.now() - t0);
        const p0 = performance.now();
        await client.conn.sendRequest('cleanRoomTemplates/preview', { uri, bindMode: 'inline', analysis: 'bench', segments: false });
        preview.push(performance.now() - p0);
      }
      const k = stats(keystroke.slice(2));
      const q = stats(first.slice(2));
      const h = stats(hover.slice(2));
      const p = stats(preview.slice(2));
      const name = `${lines} lines, ${rooms} rooms`;
      console.log(
        `${name.padEnd(20)} keystroke → first diagnostics (quick pass) ${ms(q.median)} ${ms(q.p95)}${record(`keystroke_first_p95_${lines}_${rooms}`, q.p95)}`,
      );
      console.log(`${''.padEnd(20)} keystroke → complete diagnostics ${ms(k.median)} ${ms(k.p95)}${record(`keystroke_p95_${lines}_${rooms}`, k.p95)}`);
      console.log(`${''.padEnd(20)} hover during analysis    ${ms(h.median)} ${ms(h.p95)}${record(`hover_wait_p95_${lines}_${rooms}`, h.p95)}`);
      console.log(`${''.padEnd(20)} preview refresh          ${ms(p.median)} ${ms(p.p95)}${record(`preview_p95_${lines}_${rooms}`, p.p95)}`);
    } finally {
      await client.shutdown();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  }

  // Memory: 500 small templates open at once, each checked.
  const client = await TestClient.start({ settings: { diagnostics: { debounceMs: 0 } } });
  try {
    const t = makeTemplate(50).template;
    const uris: string[] = [];
    for (let i = 0; i < 500; i++) {
      const uri = `file:///bench/mem/t${i}.jinjasql`;
      uris.push(uri);
      await client.open(uri, t.replace(/cte_0/g, `cte_${i}`));
    }
    for (const u of uris) await client.waitForLatest(u);
    const rss = rssOf(client.proc.pid);
    const s = (await client.conn.sendRequest('cleanRoomTemplates/serverStats')) as { heapUsedBytes: number };
    // The analysis thread gives memory back after a second idle (server/src/analysis/worker.ts).
    await new Promise(resolve => setTimeout(resolve, 2500));
    const settled = rssOf(client.proc.pid);
    console.log(
      `500 open templates: server RSS ${(rss / 1e6).toFixed(0)} MB right after, ${(settled / 1e6).toFixed(0)} MB once idle; main heap ${(s.heapUsedBytes / 1e6).toFixed(0)} MB${record('server_rss_mb_500', settled / 1e6)}`,
    );
  } finally {
    await client.shutdown();
  }
}

function dcr(args: string[], cwd: string): { seconds: number; status: number | null } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'dcr.js'), ...args], { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  return { seconds: (performance.now() - t0) / 1000, status: r.status };
}

function cliFigures(): void {
  if (!existsSync(join(ROOT, 'dist', 'dcr.js'))) return console.log('dist/dcr.js missing (run the build)');
  console.log('\n(f) dcr check');
  const single: number[] = [];
  for (let i = 0; i < 7; i++) single.push(dcr(['check', 'examples/templates/overlap_analysis.jinjasql'], ROOT).seconds * 1000);
  const s: Stats = stats(single.slice(1));
  console.log(`one small file (start-up included): ${ms(s.median)} ${ms(s.p95)} ms${record('check_single_ms', s.median)}`);

  const t = makeTemplate(50);
  const ws = workspace(t, 2);
  try {
    mkdirSync(join(ws.dir, 'templates'));
    const profile = JSON.parse(readFileSync(join(ws.dir, 'cleanrooms.json'), 'utf8')) as { analyses: Record<string, { template: string }> };
    for (let i = 0; i < 1000; i++) {
      const name = `t${String(i).padStart(4, '0')}`;
      writeFileSync(join(ws.dir, 'templates', `${name}.jinjasql`), t.template.replace(/cte_0/g, `cte_${i}`).replace(/overlap_0/g, `overlap_${i % 97}`));
      if (i % 10 === 0) profile.analyses[`a${i}`] = { ...profile.analyses.bench!, template: `templates/${name}.jinjasql` };
    }
    writeFileSync(join(ws.dir, 'cleanrooms.json'), JSON.stringify(profile));
    const one = dcr(['check', '--jobs', '1', '--format', 'json', 'templates'], ws.dir);
    const all = dcr(['check', '--format', 'json', 'templates'], ws.dir);
    console.log(
      `1,000 templates with a profile (100 analysed over 2 rooms): one thread ${(1000 / one.seconds).toFixed(0)} files/s; ${availableParallelism()} cores ${(1000 / all.seconds).toFixed(0)} files/s${record('check_files_per_s', 1000 / all.seconds)}`,
    );
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
}

export async function runServerBenchmarks(): Promise<void> {
  console.log(
    `\nmachine: ${availableParallelism()} cores, load ${loadavg()
      .map(x => x.toFixed(2))
      .join(' ')}, node ${process.version}`,
  );
  try {
    await serverFigures();
  } catch (e) {
    console.log(`server figures failed: ${(e as Error).message}`);
  }
  cliFigures();
  mkdirSync(join(ROOT, '.bench-out'), { recursive: true });
  const out = { date: new Date().toISOString(), cores: availableParallelism(), figures };
  writeFileSync(join(ROOT, '.bench-out', 'figures.json'), JSON.stringify(out, null, 2) + '\n');
  if (process.argv.includes('--save-baseline')) writeFileSync(join(ROOT, 'bench', 'baseline.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(`figures written to .bench-out/figures.json${process.argv.includes('--save-baseline') ? ' and bench/baseline.json' : ''}`);
}
