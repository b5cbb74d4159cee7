/**
 * Request plumbing shared by every handler: one failing feature must never take the
 * server down, cancelled work must not produce results, and slow work must be visible.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

export const SLOW_MS = 50;

export interface Logger {
  log(msg: string): void;
  error(msg: string): void;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

/** Times `fn` and logs `[slow] <what> took N ms` past the threshold (rust-analyzer style). */
export function timed<T>(logger: Logger, what: string, fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    const ms = Math.round(performance.now() - start);
    if (ms > SLOW_MS) logger.log(`[slow] ${what} took ${ms} ms`);
  }
}

/**
 * Runs a request handler on a later tick (so a cancellation that is already queued is
 * seen), checks the token before and after, and turns exceptions into `fallback` plus a
 * log line (VS Code's css server `runSafeAsync`).
 */
export function runSafe<T>(logger: Logger, what: string, token: CancellationToken, fallback: T, fn: () => T): Promise<T | ResponseError<void>> {
  return new Promise(resolve => {
    setImmediate(() => {
      if (token.isCancellationRequested) return resolve(cancelled());
      try {
        const result = timed(logger, what, fn);
        resolve(token.isCancellationRequested ? cancelled() : result);
      } catch (err) {
        logger.error(`${what} failed: ${errorText(err)}`);
        resolve(fallback);
      }
    });
  });
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
