/**
 * The VS Code side: starts the language server, shows its state, forwards workspace trust.
 * UI only; all analysis happens in the server (and core).
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  DocumentTemplatesRequest,
  StatusNotification,
  TrustChangedNotification,
  type DocumentTemplatesParams,
  type DocumentTemplatesResult,
  type InitializationOptions,
  type StatusParams,
  type TrustChangedParams,
} from '../../server/src/shared/customMessages.js';
import { serverModulePath } from './serverModule.js';
import { ServerStatusItem } from './statusBar.js';
import { registerPreview } from './preview/index.js';
import { registerSnowflakeCommands, type SnowflakeCommandsApi } from './snowflake/register.js';

/** What `activate` returns; the real-editor tests await `isReady()` instead of sleeping. */
export interface CleanRoomTemplatesApi {
  readonly client: LanguageClient;
  /** Resolves once the server has answered `initialize` (again after a restart). */
  isReady(): Promise<void>;
  /** The Snowflake commands' state (last submit, connection status bar text). */
  readonly snowflake: SnowflakeCommandsApi;
}

const CLIENT_ID = 'cleanRoomTemplates'; // VS Code derives the `cleanRoomTemplates.trace.server` setting from it.
const CLIENT_NAME = 'Clean Room Templates';
const SHOW_OUTPUT = 'cleanRoomTemplates.showOutput';
const RESTART = 'cleanRoomTemplates.restartServer';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): CleanRoomTemplatesApi {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const status = new ServerStatusItem(SHOW_OUTPUT);
  context.subscriptions.push(output, status);
  const snowflake = registerSnowflakeCommands(context, output, async uri => {
    if (!client) throw new Error('the language server is not running');
    return client.sendRequest<DocumentTemplatesResult>(DocumentTemplatesRequest, { uri } satisfies DocumentTemplatesParams);
  });

  const module = serverModulePath(context, msg => output.appendLine(msg));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const selector = (language: string) => [
    { language, scheme: 'file' },
    { language, scheme: 'untitled' },
  ];
  const clientOptions: LanguageClientOptions = {
    // dcr-snowflake: template requests under review (client/src/snowflake/documents.ts).
    documentSelector: [...selector('jinjasql'), ...selector('sql'), ...selector('yaml'), { language: 'jinjasql', scheme: 'dcr-snowflake' }, { language: 'json', pattern: '**/cleanrooms.json' }, { language: 'jsonc', pattern: '**/cleanrooms.json' }],
    outputChannel: output,
    traceOutputChannel: output,
    // A function, so a restart after trust was granted reports the current trust.
    initializationOptions: (): InitializationOptions => ({ trusted: vscode.workspace.isTrusted }),
  };
  const lc = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = lc;

  context.subscriptions.push(lc.onNotification(StatusNotification, (p: StatusParams) => status.update(p)));

  let ready = handled(startClient(lc, status, output));

  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_OUTPUT, () => output.show(true)),
    vscode.commands.registerCommand(RESTART, async () => {
      status.starting();
      output.appendLine('restarting the language server');
      ready = handled(lc.isRunning() ? lc.restart().catch(err => failed(err, status, output)) : startClient(lc, status, output));
      // The failure is already in the status bar and the output; a second error popup adds nothing.
      await ready.catch(() => output.show(true));
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (lc.isRunning()) void lc.sendNotification(TrustChangedNotification, { trusted: true } satisfies TrustChangedParams);
    }),
  );

  registerPreview(context, lc, () => ready);

  return { client: lc, isReady: () => ready, snowflake };
}

/** isReady() callers still see the rejection; the extension host must not log it as unhandled. */
function handled(p: Promise<void>): Promise<void> {
  p.catch(() => undefined);
  return p;
}

function startClient(lc: LanguageClient, status: ServerStatusItem, output: vscode.LogOutputChannel): Promise<void> {
  return lc.start().catch(err => failed(err, status, output));
}

function failed(err: unknown, status: ServerStatusItem, output: vscode.LogOutputChannel): never {
  const reason = err instanceof Error ? err.message : String(err);
  output.appendLine(`the language server failed to start: ${reason}`);
  status.failed(reason);
  throw err;
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
