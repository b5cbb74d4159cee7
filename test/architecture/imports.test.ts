/**
 * The house rules, checked on every import of every source file (TypeScript's own import
 * scanner, no extra tool):
 * - one direction: core <- server, cli, client, gateway; core imports none of them;
 * - one door: outside core, code imports core only through core/src/index.ts (core's own
 *   white-box unit tests in test/unit are the exception);
 * - core is pure: no editor, protocol, network, process or file-system module;
 * - the CLI never imports the server or the client; the client reaches the server only
 *   through its wire contract (server/src/shared); the gateway imports no front end;
 * - no import cycle between core's modules (one documented exception, below).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const SKIP = new Set(['node_modules', 'dist', 'dist-vsix', '.work', '.git', '.bench-out']);

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    if (SKIP.has(name)) continue;
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) sources(rel, out);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

interface Edge {
  from: string;
  /** A repository path for relative imports (extension resolved), else the bare module name. */
  to: string;
  relative: boolean;
}

function importsOf(file: string): Edge[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return info.importedFiles.map(({ fileName }) => {
    if (!fileName.startsWith('.')) return { from: file, to: fileName, relative: false };
    let to = relative(ROOT, resolve(ROOT, dirname(file), fileName))
      .split('\\')
      .join('/');
    to = to.replace(/\.js$/, '.ts');
    if (!/\.(ts|mts|js|mjs|json)$/.test(to)) to += '.ts';
    return { from: file, to, relative: true };
  });
}

const AREAS = ['core', 'server', 'client', 'cli', 'gateway', 'bench', 'scripts', 'test'];
const FILES = AREAS.flatMap(a => sources(a));
const EDGES = FILES.flatMap(importsOf);
const area = (path: string) => path.split('/')[0]!;
const isCore = (path: string) => path.startsWith('core/src/');

describe('architecture', () => {
  test('the scan sees the whole house', () => {
    for (const a of ['core', 'server', 'client', 'cli', 'gateway', 'test'])
      assert.ok(
        FILES.some(f => area(f) === a),
        `no sources found in ${a}/`,
      );
    assert.ok(EDGES.filter(e => e.relative).length > 200, `${EDGES.length} imports`);
  });

  test('core imports nothing outside core', () => {
    const bad = EDGES.filter(e => isCore(e.from) && e.relative && !isCore(e.to)).map(e => `${e.from} -> ${e.to}`);
    assert.deepEqual(bad, []);
  });

  test('core is pure: no editor, protocol, network, process or file-system module', () => {
    const FORBIDDEN =
      /^(vscode|vscode-languageserver.*|vscode-languageclient.*|vscode-jsonrpc|snowflake-sdk|(node:)?(fs|fs\/promises|net|http|https|http2|child_process|worker_threads|dgram|tls|os|cluster|readline|process))$/;
    const bad = EDGES.filter(e => isCore(e.from) && !e.relative && FORBIDDEN.test(e.to)).map(e => `${e.from} imports ${e.to}`);
    assert.deepEqual(bad, []);
  });

  test('outside core, core is imported only through core/src/index.ts', () => {
    const bad = EDGES.filter(e => !isCore(e.from) && !e.from.startsWith('test/unit/') && e.relative && isCore(e.to) && e.to !== 'core/src/index.ts').map(
      e => `${e.from} -> ${e.to}`,
    );
    assert.deepEqual(bad, []);
  });

  test('front ends stay in their rooms', () => {
    const allowed: Record<string, (to: string) => boolean> = {
      cli: to => !['server', 'client'].includes(area(to)),
      server: to => !['cli', 'client', 'gateway'].includes(area(to)),
      client: to => area(to) !== 'cli' && (area(to) !== 'server' || to.startsWith('server/src/shared/')),
      gateway: to => !['cli', 'client', 'server'].includes(area(to)),
    };
    const bad = EDGES.filter(e => e.relative && allowed[area(e.from)] && !allowed[area(e.from)]!(e.to)).map(e => `${e.from} -> ${e.to}`);
    assert.deepEqual(bad, []);
  });

  test('no import cycle between core modules', () => {
    // Python's object model is mutually recursive: str.format reads attributes, attribute
    // access yields bound str methods, and `%` formats through the same operators. These
    // three modules are one unit; any other cycle fails.
    const UNIT = new Set(['core/src/jinja/runtime/pyops.ts', 'core/src/jinja/runtime/methods.ts', 'core/src/jinja/runtime/format.ts']);
    const node = (f: string) => (UNIT.has(f) ? 'python object model' : f);
    const graph = new Map<string, Set<string>>();
    for (const e of EDGES) {
      if (!isCore(e.from) || !e.relative || !isCore(e.to)) continue;
      const a = node(e.from);
      const b = node(e.to);
      if (a === b) continue;
      if (!graph.has(a)) graph.set(a, new Set());
      graph.get(a)!.add(b);
    }
    const cycles = stronglyConnected(graph).filter(c => c.length > 1);
    assert.deepEqual(cycles, []);
  });
});

/** Tarjan's algorithm; returns the components with more than one module, each sorted. */
function stronglyConnected(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}
