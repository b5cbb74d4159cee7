/**
 * Engine benchmark: parse and render of realistic DCR templates (50, 200, 300, 2000 lines), and
 * the same templates rendered by Python Jinja2 + the test tree's JinjaSQL compat layer for a
 * ratio. Prints figures only; timings are never asserted (machines differ).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parse } from '../core/src/index.js';
import { parseArguments, renderString } from '../core/src/index.js';
import { makeTemplate, type BenchTemplate } from './templates.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export { makeTemplate, type BenchTemplate } from './templates.js';

export interface Stats {
  median: number;
  p95: number;
  n: number;
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p95: at(0.95), n: s.length };
}

/** Runs fn for `warmup` rounds, then until `iterations` samples or `budgetMs` elapsed. */
export function measure(fn: () => void, iterations: number, warmup: number, budgetMs = 3000): Stats {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < iterations && (samples.length < 5 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

export interface EngineResult {
  name: string;
  lines: number;
  chars: number;
  outputChars: number;
  parse: Stats;
  render: Stats;
}

export function benchOurs(t: BenchTemplate, iterations: number): EngineResult {
  const ctx = parseArguments(t.argsJson);
  const parsed = parse(t.template);
  const check = renderString(t.template, ctx, { parsed });
  if (check.error) throw new Error(`bench template ${t.name} does not render: ${check.error.type}: ${check.error.message}`);
  const p = measure(() => void parse(t.template), iterations, Math.max(3, iterations / 10));
  const r = measure(() => void renderString(t.template, ctx, { parsed }), iterations, Math.max(3, iterations / 10));
  return { name: t.name, lines: t.lines, chars: t.template.length, outputChars: check.output?.length ?? 0, parse: p, render: r };
}

export interface PythonResult {
  name: string;
  parse: Stats;
  compile: Stats;
  render: Stats;
  outputChars: number;
}

/** Python Jinja2 figures for the same templates, or a reason why there are none. */
export function benchPython(templates: BenchTemplate[], iterations: number[]): PythonResult[] | string {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return 'python unavailable (/usr/bin/python3 missing)';
  const input = JSON.stringify({ templates: templates.map((t, i) => ({ name: t.name, template: t.template, args: t.argsJson, iterations: iterations[i] })) });
  const r = spawnSync(py, [join(HERE, 'jinja2_bench.py')], { input, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000 });
  if (r.status !== 0) return `python unavailable (${(r.stderr || r.error?.message || 'exit ' + r.status).trim().split('\n').pop()})`;
  return JSON.parse(r.stdout) as PythonResult[];
}

export function runBenchmark(): void {
  const sizes: [number, number][] = [
    [50, 400],
    // The render goal is stated for 200 lines.
    [200, 200],
    [300, 150],
    [2000, 30],
  ];
  const templates = sizes.map(([n]) => makeTemplate(n));
  const ours = templates.map((t, i) => benchOurs(t, sizes[i]![1]));
  const python = benchPython(
    templates,
    sizes.map(s => s[1]),
  );
  const f = (x: number) => x.toFixed(3).padStart(9);
  const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(2) + 'x' : '-').padStart(8);
  console.log(`engine benchmark (node ${process.version}); ms, median / p95; ratio = ours / python (median)`);
  console.log('template     lines   chars  out   | parse med    p95 | render med    p95 | py parse   py compile py render | parse ratio render ratio');
  for (let i = 0; i < ours.length; i++) {
    const o = ours[i]!;
    const p = typeof python === 'string' ? undefined : python[i];
    console.log(
      `${o.name.padEnd(10)} ${String(o.lines).padStart(6)} ${String(o.chars).padStart(7)} ${String(o.outputChars).padStart(6)} |` +
        `${f(o.parse.median)} ${f(o.parse.p95)} |${f(o.render.median)} ${f(o.render.p95)} |` +
        (p
          ? `${f(p.parse.median)} ${f(p.compile.median)} ${f(p.render.median)} | ${ratio(o.parse.median, p.parse.median)} ${ratio(o.render.median, p.render.median)}`
          : ' (no python figures)'),
    );
  }
  if (typeof python === 'string') console.log(python);
  else {
    for (let i = 0; i < python.length; i++) {
      if (python[i]!.outputChars !== ours[i]!.outputChars) {
        console.log(
          `note: ${ours[i]!.name}: output length differs (ours ${ours[i]!.outputChars}, python ${python[i]!.outputChars}); see the conformance suite`,
        );
      }
    }
    console.log(
      'python parse = env.parse (lex+parse to AST); compile = env.from_string (parse + codegen + exec); render = one JinjaSQL render of the compiled template',
    );
  }
}
