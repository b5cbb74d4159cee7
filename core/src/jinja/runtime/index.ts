/** Public surface of the Python-semantics runtime used by the evaluator. */
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
