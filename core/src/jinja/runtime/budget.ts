import type { Budget, Limits } from './values.js';
import { JinjaError } from './errors.js';

/**
 * Defaults sized so that every real clean room template renders (they are a few hundred
 * lines with loops over a handful of columns) while a hostile one stops in well under a
 * second on a slow machine.
 */
export const DEFAULT_LIMITS: Limits = {
  maxSteps: 200_000,
  maxOutputChars: 5_000_000,
  maxStringChars: 5_000_000,
  maxListItems: 500_000,
  maxRange: 100_000,
  maxDepth: 200,
};

export class RenderBudget implements Budget {
  steps = 0;
  /** Characters written to any output buffer, captured ones included. */
  written = 0;
  constructor(readonly limits: Limits = DEFAULT_LIMITS) {}

  step(n = 1): void {
    this.steps += n;
    if (this.steps > this.limits.maxSteps) {
      throw new JinjaError('SecurityError', `template took too many steps (more than ${this.limits.maxSteps} loop iterations, calls and filter applications)`);
    }
  }
  /**
   * Bounds the total work of building output: text captured by macros and call blocks and
   * copied again at each level (`caller()` twice per level doubles it) stays under a cap.
   */
  chargeOutput(n: number): void {
    this.written += n;
    if (this.written > this.limits.maxOutputChars * 4) {
      throw new JinjaError(
        'SecurityError',
        `template wrote too much output (more than ${this.limits.maxOutputChars * 4} characters, captured blocks included)`,
      );
    }
  }
  /** Characters of new text made by repetition and concatenation in this render. */
  allocated = 0;
  /**
   * Many strings each under the size cap can still exhaust memory (`'x' * 1000` appended in
   * a loop): the text that repetition and concatenation create is bounded in total.
   */
  chargeText(n: number): void {
    this.allocated += n;
    if (this.allocated > this.limits.maxStringChars * 4) {
      throw new JinjaError('SecurityError', `template built too much text (more than ${this.limits.maxStringChars * 4} characters in all)`);
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
