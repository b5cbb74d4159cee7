/** The interface between the evaluator and the builtin filters, tests and globals. */
import type { CallArgs, CallContext, PyValue } from './values.js';

export interface EvalHooks extends CallContext {
  callFilter(name: string, value: PyValue, args: CallArgs): PyValue;
  callTest(name: string, value: PyValue, args: CallArgs): boolean;
  hasFilter(name: string): boolean;
  hasTest(name: string): boolean;
  /** Calls any callable value (macro, builtin, bound method). */
  call(fn: PyValue, args: CallArgs): PyValue;
}
export type FilterFn = (ctx: EvalHooks, value: PyValue, args: CallArgs) => PyValue;
export type TestFn = (ctx: EvalHooks, value: PyValue, args: CallArgs) => boolean;
