import type { Budget, Limits } from './values.js';
import { JinjaError } from './errors.js';

/**
 * Defaults sized so that every real clean room template renders (they are a few hundred
 * lines with loops over a handful of columns) while a hostile one stops in well under a
 * second on a slow machine.
 */
export const DEFAULT_LIMITS: Limits = {
  maxSteps: 2_000_000,
  maxOutputChars: 5_000_000,
  maxStringChars: 5_000_000,
  maxListItems: 500_000,
  maxRange: 100_000,
  maxDepth: 200,
};

export class RenderBudget implements Budget {
  steps = 0;
  constructor(readonly limits: Limits = DEFAULT_LIMITS) {}

  step(n = 1): void {
    this.steps += n;
    if (this.steps > this.limits.maxSteps) {
      throw new JinjaError('SecurityError', `template took too many steps (more than ${this.limits.maxSteps} loop iterations, calls and filter applications)`);
    }
  }
  checkStringSize(size: number): void {
    if (size > this.limits.maxStringChars) {
      throw new JinjaError('SecurityError', `string too large (${size} characters; the limit is ${this.limits.maxStringChars})`);
    }
  }
  checkListSize(size: number): void {
    if (size > this.limits.maxListItems) {
      throw new JinjaError('SecurityError', `list too large (${size} items; the limit is ${this.limits.maxListItems})`);
    }
  }
  checkRangeSize(size: number): void {
    if (size > this.limits.maxRange) {
      throw new JinjaError('SecurityError', `range too big (${size} items; the limit is ${this.limits.maxRange})`);
    }
  }
}
