/**
 * Public surface of the Python-semantics runtime used by the evaluator: Jinja2 3.1 on CPython
 * 3.11, checked against Debian's python3-jinja2 (test/unit/runtime/fixtures/generate.py).
 *
 * What the evaluator must do itself: pass a CallContext whose `autoescape` is true under
 * JinjaSQL (concat, join, replace, xmlattr, urlize and Markup-returning paths depend on it),
 * raise py.undefinedError when calling an Undefined, and charge the budget for its own loops.
 *
 * Known, accepted differences from CPython:
 * - ints are doubles: beyond 2^53 digits differ (`2**70`), and huge int results raise
 *   OverflowError instead of growing;
 * - float ** non-integer (other than halves) uses Math.pow, which can differ in the last digit;
 *   integer and half-integer powers are correctly rounded (glibc is off in ~0.1% of cases);
 * - negative ** fractional raises TypeError (Python returns a complex number);
 * - `random` returns the first item and `lipsum` a fixed text (stable previews);
 * - repr of functions and generators shows a fixed address (0x7f0000000000);
 * - html.unescape (striptags/unescape) knows the Latin-1 and common entity names, not all
 *   2231 HTML5 names (numeric references are exact);
 * - str.isdigit/isprintable/title follow JS Unicode tables (Unicode 15) and a small titlecase
 *   table; exotic code points may differ from CPython 3.11's Unicode 14 data;
 * - truncate's assertion is reported as RuntimeError("AssertionError: ...").
 */
export type { EvalHooks, FilterFn, TestFn } from './hooks.js';
export { FILTERS, generator, parseFloatPy, parseIntPy, pformat, urlQuote } from './filters.js';
export { TESTS } from './tests.js';
export { createGlobals } from './globals.js';
export { parseArguments, fromJs, toJs, dumps, JsonSyntaxError } from './json.js';
export { bindArgs, req, opt, kwonly, posreq, posopt, positional, type Param, type Signature, type Bound } from './args.js';
export { percentFormat, strFormat, formatValue, asciiRepr } from './format.js';
export { floatRepr, intText } from './numfmt.js';
export { getMethod, methodNames, DictView, NamedTuple, striptags, htmlUnescape } from './methods.js';
export * from './pyops.js';
