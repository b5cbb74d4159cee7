/**
 * Request handlers for the editor features (hover, completion, symbols, navigation, quick
 * fixes). Each one takes the cached model of the document's current version, runs a pure
 * core feature through `runSafe` (cancellable, never throws into the connection) and
 * converts the plain result to LSP.
 */
import {
  CodeActionKind,
  type CancellationToken,
  type CodeAction,
  type CompletionList,
  type DocumentSymbol,
  type Hover,
  type Location,
  type ResponseError,
  type ServerCapabilities,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentModel } from '../../../core/src/index.js';
import {
  doComplete,
  doHover,
  doProfileComplete,
  doProfileHover,
  isProfilePath,
  findDefinition,
  findDocumentSymbols,
  findReferences,
} from '../../../core/src/index.js';
import type { ServerDeps } from '../deps.js';
import { runSafe } from '../runner.js';
import { ruleDocsUrl } from '../../../core/src/index.js';
import { codeActionsFor } from './codeActions.js';
import { migrateActions, resolveMigrateAction } from './migrateAction.js';
import { toCompletionItem, toDocumentSymbol, toRange } from './convert.js';

export const FEATURE_CAPABILITIES: ServerCapabilities = {
  hoverProvider: true,
  // `|` filters, `.` loop attributes, `%` and `{` tag starts, ` ` after `{%`/`is`/`|`.
  completionProvider: { triggerCharacters: ['|', '.', '%', '{', ' '] },
  documentSymbolProvider: { label: 'Clean Room Templates' },
  definitionProvider: true,
  referencesProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite], resolveProvider: true },
};

export type FeatureDeps = ServerDeps;

type Result<T> = Promise<T | ResponseError<void>>;

export function registerFeatures(deps: FeatureDeps): void {
  const { connection, documents, models, logger } = deps;

  /** Runs `fn` on the current model of `uri`; `fallback` when the document is not open. */
  const onModel = <T>(what: string, uri: string, token: CancellationToken, fallback: T, fn: (model: DocumentModel, document: TextDocument) => T): Result<T> => {
    return runSafe(logger, `${what} ${uri}`, token, fallback, () => {
      const document = documents.get(uri);
      return document ? fn(models.get(document), document) : fallback;
    });
  };

  connection.onHover(async (params, token): Result<Hover | null> => {
    // Settings first (async), then the synchronous feature in one cancellable tick.
    const settings = await deps.settings.get(params.textDocument.uri).catch(() => undefined);
    return onModel('hover', params.textDocument.uri, token, null, model => {
      const offset = model.lines.offsetAt(params.position);
      const hover = isProfilePath(params.textDocument.uri)
        ? doProfileHover(model.text, offset)
        : doHover(model, offset, {
            ...(settings ? { api: settings.api } : {}),
            allowRender: deps.isTrusted(),
            ruleDocsUrl,
          });
      return hover ? { contents: { kind: 'markdown', value: hover.contents }, range: toRange(model, hover.span) } : null;
    });
  });

  connection.onCompletion((params, token): Result<CompletionList | null> =>
    onModel('completion', params.textDocument.uri, token, null, model => {
      const offset = model.lines.offsetAt(params.position);
      const result = isProfilePath(params.textDocument.uri) ? doProfileComplete(model.text, offset) : doComplete(model, offset);
      if (!result) return null;
      return { isIncomplete: false, items: result.items.map(e => toCompletionItem(model, e, result.span)) };
    }),
  );

  connection.onDocumentSymbol((params, token): Result<DocumentSymbol[]> =>
    onModel('documentSymbol', params.textDocument.uri, token, [], model => findDocumentSymbols(model).map(s => toDocumentSymbol(model, s))),
  );

  connection.onDefinition((params, token): Result<Location[]> =>
    onModel('definition', params.textDocument.uri, token, [], model =>
      findDefinition(model, model.lines.offsetAt(params.position)).map(span => ({ uri: params.textDocument.uri, range: toRange(model, span) })),
    ),
  );

  connection.onReferences((params, token): Result<Location[]> =>
    onModel('references', params.textDocument.uri, token, [], model =>
      findReferences(model, model.lines.offsetAt(params.position), params.context.includeDeclaration).map(span => ({
        uri: params.textDocument.uri,
        range: toRange(model, span),
      })),
    ),
  );

  connection.onCodeAction((params, token): Result<CodeAction[]> =>
    onModel('codeAction', params.textDocument.uri, token, [], (model, document) => [
      ...codeActionsFor(model, params),
      ...migrateActions(model, params, migrateOptions(), document.version),
    ]),
  );

  connection.onCodeActionResolve((action, token): Result<CodeAction> =>
    runSafe(logger, `codeAction/resolve ${action.title}`, token, action, () => {
      const current = (uri: string) => {
        const document = documents.get(uri);
        return document ? { model: models.get(document), version: document.version } : undefined;
      };
      // The document changed since the action was offered: return it unresolved (no edit).
      return resolveMigrateAction(action, current, migrateOptions()) ?? action;
    }),
  );

  function migrateOptions() {
    const client = deps.client?.() ?? { canCreateFiles: false };
    return {
      canCreateFiles: client.canCreateFiles,
      ...(client.canResolveEdit ? { canResolveEdit: true } : {}),
      ...(client.openBesideCommand ? { openCommand: client.openBesideCommand } : {}),
    };
  }
}
