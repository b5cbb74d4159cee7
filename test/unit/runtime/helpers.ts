/** Shared fixtures for the runtime unit tests: a real budget and a minimal evaluator hook set. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RenderBudget } from '../../../core/src/jinja/runtime/budget.ts';
import { JinjaError } from '../../../core/src/jinja/runtime/errors.ts';
import { FILTERS, TESTS, type EvalHooks, parseArguments, repr } from '../../../core/src/jinja/runtime/index.ts';
import { type CallArgs, type Limits, PyCallable, PyObject, type PyValue } from '../../../core/src/jinja/runtime/values.ts';

export function makeCtx(autoescape = false, limits?: Partial<Limits>): EvalHooks {
  const budget = new RenderBudget(limits ? { ...new RenderBudget().limits, ...limits } : undefined);
  const ctx: EvalHooks = {
    budget,
    autoescape,
    span: { start: 0, end: 0 },
    callFilter: (name, value, args) => {
      const f = FILTERS.get(name);
      if (!f) throw new JinjaError('RuntimeError', `No filter named '${name}'.`);
      return f(ctx, value, args);
    },
    callTest: (name, value, args) => {
      const t = TESTS.get(name);
      if (!t) throw new JinjaError('RuntimeError', `No test named '${name}'.`);
      return t(ctx, value, args);
    },
    hasFilter: name => FILTERS.has(name),
    hasTest: name => TESTS.has(name),
    call: (fn, args) => {
      if (fn instanceof PyCallable) return fn.call(args, ctx);
      throw new JinjaError('TypeError', 'not callable');
    },
  };
  return ctx;
}

export const args = (positional: PyValue[] = [], kwargs: Record<string, PyValue> = {}): CallArgs => ({
  args: positional,
  kwargs: new Map(Object.entries(kwargs)),
});

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', name), 'utf8')) as T;
}

export const py = (json: string): PyValue => parseArguments(json);

/** Python repr of a result; one-shot generators are shown as 'GEN [items]' like the fixtures. */
export function show(v: PyValue): string {
  if (v instanceof PyObject && v.iterate && !v.typeName.startsWith('dict_')) return `GEN ${repr(v.iterate())}`;
  return repr(v);
}

/** Runs `f`, returning its shown result or "ERR <Type>: <message>" as the fixtures do. */
export function outcome(f: () => string): string {
  try {
    return f();
  } catch (e) {
    if (e instanceof JinjaError) return `ERR ${e.type}: ${e.message}`;
    throw e;
  }
}
