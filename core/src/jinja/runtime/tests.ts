/** Jinja2 3.1's builtin tests (jinja2/tests.py), with the operator aliases. */
import { bindArgs, type Bound, type Param, req } from './args.js';
import type { EvalHooks, TestFn } from './hooks.js';
import { getMethod } from './methods.js';
import { binop, compare, contains, dictKey, eq, isIntLike, isIterable, isNumber, isStr, str, strText } from './pyops.js';
import { Markup, PyCallable, PyDict, PyFloat, PyRange, PyTuple, type PyValue, Undefined } from './values.js';

const REGISTRY = new Map<string, TestFn>();

function test(names: string[], py: string, params: Param[], impl: (ctx: EvalHooks, a: Bound) => boolean, pass = false): void {
  const full = pass ? [req('env'), ...params] : params;
  const fn: TestFn = (ctx, value, call) => {
    const b = bindArgs({ name: py, params: full }, { args: pass ? [null, value, ...call.args] : [value, ...call.args], kwargs: call.kwargs }, ctx.span);
    return impl(ctx, b);
  };
  for (const n of names) REGISTRY.set(n, fn);
}

export const TESTS: ReadonlyMap<string, TestFn> = REGISTRY;

const v1 = [req('value')];
const strPredicate =
  (name: string) =>
  (s: string, ctx: EvalHooks): boolean =>
    (getMethod(s, name) as PyCallable).call({ args: [], kwargs: new Map() }, ctx) === true;
const isLower = strPredicate('islower');
const isUpper = strPredicate('isupper');

test(['odd'], 'test_odd', v1, (ctx, a) => eq(binop(ctx, '%', a.get('value'), 2), 1));
test(['even'], 'test_even', v1, (ctx, a) => eq(binop(ctx, '%', a.get('value'), 2), 0));
test(['divisibleby'], 'test_divisibleby', [req('value'), req('num')], (ctx, a) => eq(binop(ctx, '%', a.get('value'), a.get('num')), 0));
test(['defined'], 'test_defined', v1, (_ctx, a) => !(a.get('value') instanceof Undefined));
test(['undefined'], 'test_undefined', v1, (_ctx, a) => a.get('value') instanceof Undefined);
test(
  ['filter'],
  'test_filter',
  v1,
  (ctx, a) => {
    const v = a.get('value');
    dictKey(v, ctx.span);
    return isStr(v) && ctx.hasFilter(strText(v));
  },
  true,
);
test(
  ['test'],
  'test_test',
  v1,
  (ctx, a) => {
    const v = a.get('value');
    dictKey(v, ctx.span);
    return isStr(v) && ctx.hasTest(strText(v));
  },
  true,
);
test(['none'], 'test_none', v1, (_ctx, a) => a.get('value') === null);
test(['boolean'], 'test_boolean', v1, (_ctx, a) => typeof a.get('value') === 'boolean');
test(['false'], 'test_false', v1, (_ctx, a) => a.get('value') === false);
test(['true'], 'test_true', v1, (_ctx, a) => a.get('value') === true);
test(['integer'], 'test_integer', v1, (_ctx, a) => typeof a.get('value') === 'number');
test(['float'], 'test_float', v1, (_ctx, a) => a.get('value') instanceof PyFloat);
test(['lower'], 'test_lower', v1, (ctx, a) => isLower(str(a.get('value'), ctx.budget), ctx));
test(['upper'], 'test_upper', v1, (ctx, a) => isUpper(str(a.get('value'), ctx.budget), ctx));
test(['string'], 'test_string', v1, (_ctx, a) => isStr(a.get('value')));
test(['mapping'], 'test_mapping', v1, (_ctx, a) => a.get('value') instanceof PyDict);
test(['number'], 'test_number', v1, (_ctx, a) => isNumber(a.get('value')));
test(['sequence'], 'test_sequence', v1, (_ctx, a) => {
  const v = a.get('value');
  return isStr(v) || Array.isArray(v) || v instanceof PyTuple || v instanceof PyDict || v instanceof PyRange || v instanceof Undefined;
});
test(['iterable'], 'test_iterable', v1, (_ctx, a) => isIterable(a.get('value')));
// Undefined defines __call__ (to raise), so Python's callable() says True.
test(['callable'], 'callable', [req('obj')], (_ctx, a) => a.get('obj') instanceof PyCallable || a.get('obj') instanceof Undefined);
test(['sameas'], 'test_sameas', [req('value'), req('other')], (_ctx, a) => sameAs(a.get('value'), a.get('other')));
test(['escaped'], 'test_escaped', v1, (_ctx, a) => a.get('value') instanceof Markup);
test(['in'], 'test_in', [req('value'), req('seq')], (ctx, a) => contains(a.get('seq'), a.get('value'), ctx.span));
const ab = [req('a'), req('b')];
test(['==', 'eq', 'equalto'], 'eq', ab, (_ctx, a) => eq(a.get('a'), a.get('b')));
test(['!=', 'ne'], 'ne', ab, (_ctx, a) => !eq(a.get('a'), a.get('b')));
test(['>', 'gt', 'greaterthan'], 'gt', ab, (ctx, a) => compare('>', a.get('a'), a.get('b'), ctx.span));
test(['>=', 'ge'], 'ge', ab, (ctx, a) => compare('>=', a.get('a'), a.get('b'), ctx.span));
test(['<', 'lt', 'lessthan'], 'lt', ab, (ctx, a) => compare('<', a.get('a'), a.get('b'), ctx.span));
test(['<=', 'le'], 'le', ab, (ctx, a) => compare('<=', a.get('a'), a.get('b'), ctx.span));

/**
 * Python `is`: identity for objects; for immutable scalars CPython's caching makes equal
 * small ints, bools, None and identical string constants identical (floats are boxed anew).
 */
function sameAs(x: PyValue, y: PyValue): boolean {
  if (x === y) return true;
  if (isIntLike(x) && isIntLike(y)) return typeof x === typeof y && Number(x) === Number(y) && Math.abs(Number(x)) <= 256;
  return false;
}
