/**
 * Binding call arguments to a Python-style signature, with CPython's TypeError wording.
 * Two wordings exist in CPython: Python functions (Jinja's filters, tests, globals) and
 * C builtins (str/list/dict methods); `style` picks one.
 */
import type { Span } from '../../text/span.js';
import { JinjaError } from './errors.js';
import type { CallArgs, PyValue } from './values.js';

export interface Param {
  readonly name: string;
  /** Absent = required. */
  readonly default?: PyValue;
  readonly hasDefault: boolean;
  readonly kwOnly: boolean;
  /** C builtins: may not be passed by keyword. */
  readonly posOnly: boolean;
}

export const req = (name: string): Param => ({ name, hasDefault: false, kwOnly: false, posOnly: false });
export const opt = (name: string, dflt: PyValue): Param => ({ name, default: dflt, hasDefault: true, kwOnly: false, posOnly: false });
/** Keyword-only; pass a default to make it optional. */
export const kwonly = (name: string, ...dflt: [PyValue?]): Param => ({ name, default: dflt[0], hasDefault: dflt.length > 0, kwOnly: true, posOnly: false });
export const posreq = (name: string): Param => ({ ...req(name), posOnly: true });
export const posopt = (name: string, dflt: PyValue): Param => ({ ...opt(name, dflt), posOnly: true });

export interface Signature {
  /** Name used in messages, e.g. 'do_join' or 'upper'. */
  readonly name: string;
  readonly params: readonly Param[];
  /** Accepts *args. */
  readonly varargs?: boolean;
  /** Accepts **kwargs. */
  readonly varkw?: boolean;
  /**
   * Which CPython wording a TypeError uses: 'function' (Python code), or one of the C calling
   * conventions: 'noargs' (METH_NOARGS), 'O' (METH_O), 'pos' (argument clinic, positional
   * only), 'oldargs' (PyArg_ParseTuple), 'kw' (clinic with keywords).
   */
  readonly style?: 'function' | 'noargs' | 'O' | 'pos' | 'oldargs' | 'kw';
  /** 'str.upper' for the C wordings that qualify the name. */
  readonly qualname?: string;
}

export interface Bound {
  /** Bound parameter values by name (defaults filled in). */
  readonly values: Map<string, PyValue>;
  /** Extra positional arguments (*args). */
  readonly rest: PyValue[];
  /** Extra keyword arguments (**kwargs), in call order. */
  readonly extra: Map<string, PyValue>;
  get(name: string): PyValue;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function nameList(names: string[]): string {
  const q = names.map(n => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

interface Shape {
  positional: readonly Param[];
  byName: ReadonlyMap<string, Param>;
}
/** Per-signature precomputation: binding runs on every method call inside loops. */
const SHAPES = new WeakMap<Signature, Shape>();
function shapeOf(sig: Signature): Shape {
  let shape = SHAPES.get(sig);
  if (!shape) {
    shape = { positional: sig.params.filter(p => !p.kwOnly), byName: new Map(sig.params.map(p => [p.name, p])) };
    SHAPES.set(sig, shape);
  }
  return shape;
}

export function bindArgs(sig: Signature, call: CallArgs, span?: Span): Bound {
  const err = (msg: string): JinjaError => new JinjaError('TypeError', msg, span);
  const style = sig.style ?? 'function';
  const { positional, byName } = shapeOf(sig);
  const given = call.args.length;
  const values = new Map<string, PyValue>();
  const rest: PyValue[] = [];
  const extra = new Map<string, PyValue>();

  if (style !== 'function') checkBuiltinArity(sig, call, err);
  if (given > positional.length && !sig.varargs) {
    const min = positional.filter(p => !p.hasDefault).length;
    const takes = min === positional.length ? `${plural(min, 'positional argument')}` : `from ${min} to ${positional.length} positional arguments`;
    throw err(`${sig.name}() takes ${takes} but ${given} ${given === 1 ? 'was' : 'were'} given`);
  }
  call.args.forEach((v, i) => {
    if (i < positional.length) values.set(positional[i].name, v);
    else rest.push(v);
  });
  for (const [k, v] of call.kwargs) {
    const p = byName.get(k);
    if (!p || p.posOnly) {
      if (sig.varkw) {
        extra.set(k, v);
        continue;
      }
      throw err(`${sig.name}() got an unexpected keyword argument '${k}'`);
    }
    if (values.has(k)) throw err(`${sig.name}() got multiple values for argument '${k}'`);
    values.set(k, v);
  }
  const missingPos = positional.filter(p => !p.hasDefault && !values.has(p.name)).map(p => p.name);
  if (missingPos.length) {
    throw err(`${sig.name}() missing ${missingPos.length} required positional argument${missingPos.length === 1 ? '' : 's'}: ${nameList(missingPos)}`);
  }
  const missingKw = sig.params.filter(p => p.kwOnly && !p.hasDefault && !values.has(p.name)).map(p => p.name);
  if (missingKw.length) {
    throw err(`${sig.name}() missing ${missingKw.length} required keyword-only argument${missingKw.length === 1 ? '' : 's'}: ${nameList(missingKw)}`);
  }
  for (const p of sig.params) if (!values.has(p.name) && p.hasDefault) values.set(p.name, p.default ?? null);
  return {
    values,
    rest,
    extra,
    get(name: string): PyValue {
      const v = values.get(name);
      return v === undefined ? null : v;
    },
  };
}

/** Convenience for calls with positional arguments only (tests, internal helpers). */
export const positional = (...args: PyValue[]): CallArgs => ({ args, kwargs: new Map() });

/** Arity and keyword checks of C builtins, each convention with its own CPython message. */
function checkBuiltinArity(sig: Signature, call: CallArgs, err: (msg: string) => JinjaError): void {
  const qual = sig.qualname ?? sig.name;
  const given = call.args.length;
  const positional = sig.params.filter(p => !p.kwOnly);
  const min = positional.filter(p => !p.hasDefault).length;
  const max = positional.length;
  const kw = call.kwargs.size > 0;
  switch (sig.style) {
    case 'noargs':
      if (given > 0) throw err(`${qual}() takes no arguments (${given} given)`);
      if (kw) throw err(`${qual}() takes no keyword arguments`);
      return;
    case 'O':
      if (given !== 1) throw err(`${qual}() takes exactly one argument (${given} given)`);
      if (kw) throw err(`${qual}() takes no keyword arguments`);
      return;
    case 'pos':
      if (given < min) throw err(`${sig.name} expected ${min === max ? '' : 'at least '}${plural(min, 'argument')}, got ${given}`);
      if (given > max && !sig.varargs) throw err(`${sig.name} expected ${min === max ? '' : 'at most '}${plural(max, 'argument')}, got ${given}`);
      if (kw && !sig.varkw) throw err(`${qual}() takes no keyword arguments`);
      return;
    case 'oldargs':
      if (given < min) throw err(`${sig.name}() takes at least ${plural(min, 'argument')} (${given} given)`);
      if (given > max) throw err(`${sig.name}() takes at most ${plural(max, 'argument')} (${given} given)`);
      if (kw) throw err(`${sig.name}() takes no keyword arguments`);
      return;
    case 'kw':
      if (given > max)
        throw err(max === 0 ? `${sig.name}() takes no positional arguments` : `${sig.name}() takes at most ${plural(max, 'argument')} (${given} given)`);
      for (const k of call.kwargs.keys()) {
        if (!sig.params.some(p => p.name === k)) throw err(`'${k}' is an invalid keyword argument for ${sig.name}()`);
      }
      return;
  }
}
