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

/** The settings section the server reads through workspace/configuration. */
export const ConfigurationSection = 'cleanRoomTemplates';
