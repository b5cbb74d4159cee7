/**
 * Wire contracts between the VS Code client and the language server that are not part of
 * LSP. Kept free of `vscode` and of the LSP connection so both bundles can import it.
 */

/** Sent by the client as `initializationOptions`. */
export interface InitializationOptions {
  /** VS Code's workspace trust. Absent (other editors) means trusted. */
  trusted?: boolean;
  /** A client command that opens a URI beside the current editor (the migrated spec). */
  openBesideCommand?: string;
}

/** The VS Code client's command that opens a file beside the active editor. */
export const OpenBesideCommand = 'cleanRoomTemplates.openBeside';

/** Client -> server: workspace trust changed (VS Code only ever grants it at runtime). */
export const TrustChangedNotification = 'cleanRoomTemplates/trustChanged';
export interface TrustChangedParams {
  trusted: boolean;
}

/** Server -> client: what the status bar shows. */
export const StatusNotification = 'cleanRoomTemplates/status';
export type ServerState = 'ready' | 'busy' | 'degraded';
export interface StatusParams {
  state: ServerState;
  /** Why the server is degraded (shown as the status bar tooltip). */
  message?: string;
}

/**
 * Server -> client: the complete analysis of a document version was published. Diagnostics
 * come in two passes: a quick one right after an edit (one render, plus the previous complete
 * pass's other findings moved with the edit) and this complete one; editors may ignore it.
 */
export const AnalysisDoneNotification = 'cleanRoomTemplates/analysisDone';
export interface AnalysisDoneParams {
  uri: string;
  version: number;
  /** Milliseconds from the start of the analysis to the quick and to the complete findings. */
  quickMs?: number;
  ms: number;
}

/** The settings section the server reads through workspace/configuration. */
export const ConfigurationSection = 'cleanRoomTemplates';

/**
 * Client -> server: what the server holds (open documents and every cache), so a soak test
 * and a user chasing memory can see that nothing grows with edits.
 */
export const ServerStatsRequest = 'cleanRoomTemplates/serverStats';
export interface ServerStats {
  documents: number;
  models: number;
  pendingChecks: number;
  /** Documents whose last complete findings are kept for their next quick pass (one per open document at most). */
  carriedFindings: number;
  settingsCached: number;
  profileBuffers: number;
  profilesOnDisk: number;
  previews: { previewed: number; shown: number; timers: number; watchers: number };
  analysisQueue: number;
  heapUsedBytes: number;
  /** The process's memory as Node reports it (RSS, heap committed and used, external buffers). */
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
}

/**
 * Client -> server: the templates the server found in an open document (worksheet calls,
 * spec `template:` fields, or the whole file), so the client's commands need no engine of
 * their own. Offsets are UTF-16 code units in the document.
 */
export const DocumentTemplatesRequest = 'cleanRoomTemplates/documentTemplates';
export interface DocumentTemplatesParams {
  uri: string;
}
export interface DocumentTemplatesResult {
  kind: 'template' | 'worksheet' | 'spec' | 'other';
  templates: {
    index: number;
    label: string;
    text: string;
    start: number;
    end: number;
    templateName?: string;
    cleanroom?: string;
    /** The API the host names (a legacy procedure, or a Collaboration spec). */
    api?: 'legacy' | 'collaboration';
    /** The template spec holding the template (a spec file, or REGISTER_TEMPLATE in a worksheet): what Collaboration submits send. */
    spec?: string;
  }[];
}
