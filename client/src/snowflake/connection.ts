/**
 * The editor's Snowflake connection: which one is selected (kept per workspace), the status bar
 * item naming it and its role, secrets asked once and kept in SecretStorage (never in
 * settings or logs), and running gateway calls under a cancellable progress notification with
 * a deadline. The gateway (and through it the driver) is loaded only when a command runs.
 */
import * as vscode from 'vscode';
import type * as Gateway from '../../../gateway/src/index.js';

export type GatewayModule = typeof Gateway;
export const gateway = (): Promise<GatewayModule> => import('../../../gateway/src/index.js');

const SELECTED = 'cleanRoomTemplates.snowflake.selectedConnection';
export const SELECT_COMMAND = 'cleanRoomTemplates.snowflake.selectConnection';

export interface Log {
  appendLine(line: string): void;
}

function config() {
  return vscode.workspace.getConfiguration('cleanRoomTemplates.snowflake');
}

export class SnowflakeConnection implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private lastRole: string | undefined;
  private secretsSeen: string[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.item = vscode.window.createStatusBarItem('cleanRoomTemplates.snowflake', vscode.StatusBarAlignment.Right, 99);
    this.item.name = 'Clean Room: Snowflake connection';
    this.item.command = SELECT_COMMAND;
    this.render();
    this.item.show();
  }

  /** The connection name: the user's pick for this workspace, else the setting, else Snowflake's default. */
  get selected(): string | undefined {
    return this.context.workspaceState.get<string>(SELECTED) || config().get<string>('connection') || undefined;
  }

  async select(name: string | undefined): Promise<void> {
    await this.context.workspaceState.update(SELECTED, name);
    this.lastRole = undefined;
    this.render();
  }

  setRole(role: string | undefined): void {
    this.lastRole = role;
    this.render();
  }

  /** What the status bar item shows, e.g. `$(database) default · SAMOOHA_APP_ROLE` (for the real-editor tests). */
  get statusText(): string {
    return this.item.text;
  }

  private render(): void {
    const name = this.selected ?? 'default';
    this.item.text = `$(database) ${name}${this.lastRole ? ` · ${this.lastRole}` : ''}`;
    this.item.tooltip = `Snowflake connection for clean room commands: ${name}${this.lastRole ? `, role ${this.lastRole}` : ''}. Click to choose another.`;
  }

  /** Every line written to the output passes through here, scrubbed of known secrets. */
  write(g: GatewayModule, line: string): void {
    this.log.appendLine(g.redact(line, this.secretsSeen));
  }

  private secretKey(conn: string, kind: string): string {
    return `snowflake:${conn}:${kind}`;
  }

  async forgetSecrets(): Promise<void> {
    const g = await gateway();
    const { names } = g.listConnectionNames({ env: process.env });
    for (const n of new Set([...names, this.selected ?? 'default']))
      for (const k of ['password', 'passphrase', 'token']) await this.context.secrets.delete(this.secretKey(n, k));
  }

  /** Asks for what the connection lacks (once; then SecretStorage has it). */
  private async secretsFor(g: GatewayModule, s: Gateway.ConnectionSettings): Promise<Gateway.Secrets | undefined> {
    const need: { kind: 'password' | 'passphrase' | 'token'; prompt: string } | undefined =
      s.authenticator === 'SNOWFLAKE' && !s.password
        ? { kind: 'password', prompt: `Password for ${s.user ?? 'the user'} on Snowflake connection '${s.name}'` }
        : s.authenticator === 'SNOWFLAKE_JWT' && !s.privateKeyPassphrase && s.privateKeyFile && g.keyIsEncrypted(s.privateKeyFile)
          ? { kind: 'passphrase', prompt: `Passphrase of the private key ${s.privateKeyFile} (connection '${s.name}')` }
          : (s.authenticator === 'OAUTH' || s.authenticator === 'PROGRAMMATIC_ACCESS_TOKEN') && !s.token && !s.tokenFilePath
            ? { kind: 'token', prompt: `Token for Snowflake connection '${s.name}'` }
            : undefined;
    if (!need) return {};
    const key = this.secretKey(s.name, need.kind);
    let value = await this.context.secrets.get(key);
    if (!value) {
      value = await vscode.window.showInputBox({ prompt: need.prompt, password: true, ignoreFocusOut: true });
      if (!value) return undefined;
      await this.context.secrets.store(key, value);
    }
    this.secretsSeen.push(value);
    return need.kind === 'password' ? { password: value } : need.kind === 'passphrase' ? { privateKeyPassphrase: value } : { token: value };
  }

  /**
   * Runs `work` with an open session under a cancellable progress notification. Refuses in an
   * untrusted workspace. Errors are shown in plain words (with Snowflake's code) and logged.
   */
  async run<T>(
    title: string,
    work: (session: Gateway.Session, g: GatewayModule, call: Gateway.CallOptions, progress: vscode.Progress<{ message?: string }>) => Promise<T>,
  ): Promise<T | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Clean Room: Snowflake commands are disabled in Restricted Mode. Trust this workspace to use them.');
      return undefined;
    }
    const g = await gateway();
    const deadlineMs = Math.max(1, config().get<number>('timeoutSeconds', 60)) * 1000;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Clean Room: ${title}`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        let session: Gateway.Session | undefined;
        let settings: Gateway.ConnectionSettings | undefined;
        try {
          const resolved = g.resolveConnection(this.selected, { env: process.env });
          settings = resolved;
          this.secretsSeen.push(...g.secretsOf(settings));
          for (const w of resolved.warnings) this.write(g, `warning: ${w}`);
          const secrets = await this.secretsFor(g, settings);
          if (!secrets) return undefined;
          progress.report({ message: `connecting to '${settings.name}'…` });
          const driverPath = config().get<string>('driverPath') || undefined;
          session = await g.openSession(settings, { deadlineMs, signal: ac.signal, secrets, driverPath, log: l => this.write(g, l) });
          progress.report({ message: 'running…' }); // an empty message would leave "connecting…" on screen
          return await work(session, g, { deadlineMs, signal: ac.signal }, progress);
        } catch (err) {
          if (err instanceof g.GatewayError) {
            if (err.kind === 'auth' && settings)
              for (const k of ['password', 'passphrase', 'token']) await this.context.secrets.delete(this.secretKey(settings.name, k));
            this.write(g, `${title}: ${err.message}`);
            if (err.kind !== 'cancelled') void vscode.window.showErrorMessage(`Clean Room: ${g.redact(err.message, this.secretsSeen)}`);
            return undefined;
          }
          throw err;
        } finally {
          sub.dispose();
          if (session && !session.abandoned) await session.close();
        }
      },
    );
  }

  dispose(): void {
    this.item.dispose();
  }
}
