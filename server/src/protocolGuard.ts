/**
 * What the LSP specification asks of every request, enforced in one place rather than in each
 * handler: after `shutdown` the server answers every request with InvalidRequest (and ignores
 * notifications but `exit`); a request whose parameters are not of the method's shape (no
 * document URI, a position that is not two non-negative integers) is answered with
 * InvalidParams instead of a guess.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';

/** Connection methods that register request handlers; their first handler argument is the params. */
const REQUEST_REGISTRARS = new Set([
  'onHover',
  'onCompletion',
  'onCompletionResolve',
  'onDocumentSymbol',
  'onDefinition',
  'onReferences',
  'onCodeAction',
  'onCodeActionResolve',
  'onCodeLens',
  'onCodeLensResolve',
  'onExecuteCommand',
  'onRequest',
]);

/** Requests at a place in a document: `textDocument.uri` and `position` are required. */
const POSITIONAL = new Set(['onHover', 'onCompletion', 'onDefinition', 'onReferences']);
/** Requests on a whole document: `textDocument.uri` is required. */
const DOCUMENT = new Set(['onDocumentSymbol', 'onCodeAction', 'onCodeLens']);

export interface ProtocolState {
  shutdown: boolean;
}

/** A view of `connection` whose request handlers are guarded; register every handler on it. */
export function guardConnection(connection: Connection, state: ProtocolState): Connection {
  return new Proxy(connection, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      if (REQUEST_REGISTRARS.has(prop)) {
        return (...args: unknown[]) => {
          // onRequest(type, handler) and onRequest(handler): the handler is the last argument.
          const at = args.length - 1;
          const handler = args[at] as (...a: unknown[]) => unknown;
          if (typeof handler !== 'function') return (value as (...a: unknown[]) => unknown).apply(target, args);
          args[at] = (params: unknown, ...rest: unknown[]) => {
            if (state.shutdown) return new ResponseError(ErrorCodes.InvalidRequest, 'The server is shutting down: no requests are answered after shutdown.');
            const problem = paramsProblem(prop, params);
            if (problem) return new ResponseError(ErrorCodes.InvalidParams, problem);
            return handler(params, ...rest);
          };
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (prop.startsWith('on') && prop !== 'onExit' && prop !== 'onShutdown' && prop !== 'onInitialize') {
        // Notification handlers: ignored after shutdown, as the specification asks.
        return (...args: unknown[]) => {
          const at = args.length - 1;
          const handler = args[at];
          if (typeof handler === 'function') {
            args[at] = (...a: unknown[]) => (state.shutdown ? undefined : (handler as (...x: unknown[]) => unknown)(...a));
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

function paramsProblem(registrar: string, params: unknown): string | undefined {
  const positional = POSITIONAL.has(registrar);
  if (!positional && !DOCUMENT.has(registrar)) return undefined;
  if (!isRecord(params)) return 'The parameters must be an object.';
  const doc = params.textDocument;
  if (!isRecord(doc) || typeof doc.uri !== 'string' || !doc.uri) return 'textDocument.uri must be a non-empty string.';
  if (positional) {
    const pos = params.position;
    if (!isRecord(pos) || !isIndex(pos.line) || !isIndex(pos.character)) return 'position must have a line and a character, both non-negative integers.';
  }
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isIndex = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
