import type { Span } from '../../text/span.js';

/**
 * Error kinds, named as Jinja2 / Python name them so messages read like the real thing.
 * SecurityError is ours: a resource cap or a forbidden access.
 */
export type JinjaErrorType =
  | 'TemplateSyntaxError'
  | 'TemplateAssertionError'
  | 'TemplateRuntimeError'
  | 'UndefinedError'
  | 'TypeError'
  | 'ValueError'
  | 'KeyError'
  | 'IndexError'
  | 'AttributeError'
  | 'ZeroDivisionError'
  | 'OverflowError'
  | 'FilterArgumentError'
  | 'SecurityError'
  | 'MissingInClauseException'
  | 'RuntimeError';

/** An error raised while evaluating a template; never a JS crash. */
export class JinjaError extends Error {
  span?: Span;
  constructor(
    readonly type: JinjaErrorType,
    message: string,
    span?: Span,
  ) {
    super(message);
    this.name = type;
    if (span) this.span = span;
  }
  /** Attaches a position if none is known yet (the innermost position wins). */
  at(span: Span): this {
    if (!this.span) this.span = span;
    return this;
  }
}

export const raise = (type: JinjaErrorType, message: string, span?: Span): never => {
  throw new JinjaError(type, message, span);
};
