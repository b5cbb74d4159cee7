/**
 * Wires the LSP connection to the features. This is the only module (with its small
 * helpers) that knows the protocol; the analysis itself is core's.
 */
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ModelCache } from './modelCache.js';
import { guardConnection, type ProtocolState } from './protocolGuard.js';
import { errorText, type Logger } from './runner.js';
import { SettingsStore } from './settings.js';
import { StatusReporter } from './status.js';
import { Validator } from './validation.js';
import { createAnalyzer } from './analysis/analyzer.js';
import { FEATURE_CAPABILITIES, registerFeatures } from './features/register.js';
import { registerPreview } from './preview/service.js';
import { ProfileStore } from './profile/store.js';
import {
  ConfigurationSection,
  DocumentTemplatesRequest,
  type DocumentTemplatesParams,
  type DocumentTemplatesResult,
  ServerStatsRequest,
  TrustChangedNotification,
  type ServerStats,
  type InitializationOptions,
  type TrustChangedParams,
} from './shared/customMessages.js';

export interface ServerInfo {
  name: string;
  version: string;
}

export function startServer(rawConnection: Connection, info: ServerInfo): void {
  const protocol: ProtocolState = { shutdown: false };
  const connection = guardConnection(rawConnection, protocol);
  const logger: Logger = {
    log: msg => connection.console.log(msg),
    error: msg => connection.console.error(msg),
  };
  const documents = new TextDocuments(TextDocument);
  const models = new ModelCache();
  const status = new StatusReporter(connection);
  let canPullConfiguration = false;
  let canRegisterConfiguration = false;
  let trusted = true;
  const settings = new SettingsStore(
    connection,
    () => canPullConfiguration,
    msg => logger.log(msg),
  );
  const profiles = new ProfileStore({ documents });
  let canWatchFiles = false;
  let canRefreshCodeLens = false;
  let clientAbilities: { canCreateFiles: boolean; canResolveEdit?: boolean; openBesideCommand?: string } = { canCreateFiles: false };
  const analyzer = createAnalyzer(typeof __filename === 'string' ? __filename : undefined, msg => logger.error(msg));
  const validator = new Validator({ connection, documents, settings, status, logger, isTrusted: () => trusted, profiles, analyzer });
  registerFeatures({ connection, documents, models, settings, logger, isTrusted: () => trusted, client: () => clientAbilities });
  const preview = registerPreview({
    connection,
    documents,
    models,
    settings,
    logger,
    isTrusted: () => trusted,
    profiles: { store: profiles },
    canRefreshCodeLens: () => canRefreshCodeLens,
    analyzer,
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    canPullConfiguration = !!caps.workspace?.configuration;
    canRegisterConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    canWatchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canRefreshCodeLens = !!caps.workspace?.codeLens?.refreshSupport;
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    // Only VS Code has workspace trust; other editors launch the server deliberately.
    trusted = options.trusted !== false;
    const edits = caps.workspace?.workspaceEdit;
    clientAbilities = {
      canCreateFiles: !!edits?.documentChanges && !!edits.resourceOperations?.includes('create'),
      canResolveEdit: !!caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit'),
      ...(typeof options.openBesideCommand === 'string' ? { openBesideCommand: options.openBesideCommand } : {}),
    };
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        ...FEATURE_CAPABILITIES,
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: info,
    };
  });

  connection.onInitialized(() => {
    if (canRegisterConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: ConfigurationSection }).catch(err => logger.error(errorText(err)));
    }
    if (canWatchFiles) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/cleanrooms.json' }] })
        .catch(err => logger.error(errorText(err)));
    }
    logger.log(
      `${info.name} ${info.version} started (${trusted ? 'trusted' : 'restricted mode'}; analyses run ${analyzer.mode === 'worker' ? 'on a worker thread' : 'in-process'})`,
    );
    status.setTrusted(trusted);
  });

  connection.onDidChangeConfiguration(change => {
    guard(logger, 'didChangeConfiguration', () => {
      settings.changed(change.settings);
      validator.scheduleAll();
    });
  });

  connection.onNotification(TrustChangedNotification, (params: TrustChangedParams) => {
    guard(logger, TrustChangedNotification, () => {
      const next = params?.trusted === true;
      if (next === trusted) return;
      trusted = next;
      status.setTrusted(trusted);
      validator.scheduleAll();
      preview.refreshAll();
    });
  });

  connection.onRequest(DocumentTemplatesRequest, (params: DocumentTemplatesParams): DocumentTemplatesResult => {
    const document = typeof params?.uri === 'string' ? documents.get(params.uri) : undefined;
    if (!document) return { kind: 'other', templates: [] };
    const model = models.get(document);
    return {
      kind: model.kind,
      templates: model.templates.map(({ region }, index) => ({
        index,
        label: region.label,
        text: region.text,
        start: region.hostSpan.start,
        end: region.hostSpan.end,
        ...(region.meta.templateName !== undefined ? { templateName: region.meta.templateName } : {}),
        ...(region.meta.cleanroom !== undefined ? { cleanroom: region.meta.cleanroom } : {}),
        ...(region.meta.api !== undefined ? { api: region.meta.api } : {}),
        ...(region.meta.spec !== undefined ? { spec: region.meta.spec.text } : {}),
      })),
    };
  });

  connection.onRequest(ServerStatsRequest, (): ServerStats => ({
    documents: documents.all().length,
    models: models.size,
    pendingChecks: validator.pendingCount,
    carriedFindings: validator.carriedCount,
    settingsCached: settings.size,
    profileBuffers: profiles.counts.buffers,
    profilesOnDisk: profiles.counts.onDisk,
    previews: preview.counts(),
    analysisQueue: analyzer.queued,
    heapUsedBytes: process.memoryUsage().heapUsed,
    memory: process.memoryUsage(),
  }));

  // A profile edited, saved, created or deleted re-checks every open document, no restart.
  profiles.onDidChange(() => validator.scheduleAll());
  connection.onDidChangeWatchedFiles(p => guard(logger, 'didChangeWatchedFiles', () => profiles.filesChanged(p.changes)));
  documents.onDidChangeContent(e => guard(logger, 'profile buffer', () => profiles.bufferChanged(e.document.uri)));
  documents.onDidClose(e => guard(logger, 'profile buffer', () => profiles.bufferChanged(e.document.uri)));

  // onDidChangeContent also fires on open; listening to onDidOpen too would check twice.
  documents.onDidChangeContent(e => guard(logger, 'didChange', () => validator.schedule(e.document)));
  documents.onDidClose(e =>
    guard(logger, 'didClose', () => {
      validator.close(e.document.uri);
      models.delete(e.document.uri);
      settings.forget(e.document.uri);
    }),
  );

  connection.onShutdown(() => {
    protocol.shutdown = true;
    validator.dispose();
    analyzer.dispose();
    profiles.dispose();
    preview.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

/** Notification handlers have no response to carry an error: log it and carry on. */
function guard(logger: Logger, what: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    logger.error(`${what} failed: ${errorText(err)}`);
  }
}
