/**
 * The VS Code side: starts the language server, shows its state, forwards workspace trust.
 * UI only; all analysis happens in the server (and core).
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  DocumentTemplatesRequest,
  OpenBesideCommand,
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
const MIGRATE = 'cleanRoomTemplates.migrateToSpec';
const MIGRATE_TITLE = 'Migrate to Collaboration API spec';

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
    documentSelector: [
      ...selector('jinjasql'),
      ...selector('sql'),
      ...selector('yaml'),
      { language: 'jinjasql', scheme: 'dcr-snowflake' },
      { language: 'json', pattern: '**/cleanrooms.json' },
      { language: 'jsonc', pattern: '**/cleanrooms.json' },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    // A function, so a restart after trust was granted reports the current trust.
    initializationOptions: (): InitializationOptions => ({ trusted: vscode.workspace.isTrusted, openBesideCommand: OpenBesideCommand }),
  };
  const lc = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = lc;

  context.subscriptions.push(lc.onNotification(StatusNotification, (p: StatusParams) => status.update(p)));

  let ready = handled(startClient(lc, status, output));

  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_OUTPUT, () => output.show(true)),
    // The server's "Migrate to Collaboration API spec" action writes the spec, then runs this.
    vscode.commands.registerCommand(OpenBesideCommand, async (uri: string) => {
      await vscode.window.showTextDocument(vscode.Uri.parse(uri), { viewColumn: vscode.ViewColumn.Beside, preview: false });
    }),
    vscode.commands.registerCommand(MIGRATE, () => migrateActiveTemplate()),
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

/** The palette form of the code action: the server's action at the cursor, applied, then its command. */
async function migrateActiveTemplate(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const range = new vscode.Range(editor.selection.active, editor.selection.active);
  // The server computes the edit when the action is resolved: ask for resolved actions.
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      range,
      vscode.CodeActionKind.RefactorRewrite.value,
      10,
    )) ?? [];
  const action = actions.find(a => a.title === MIGRATE_TITLE);
  if (!action?.edit) {
    void vscode.window.showInformationMessage("No legacy template here to migrate: open a template file, or put the cursor in a worksheet's template call.");
    return;
  }
  if (!(await vscode.workspace.applyEdit(action.edit))) return;
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
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
