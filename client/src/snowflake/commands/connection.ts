/** Choosing and testing the Snowflake connection, and forgetting stored secrets. */
import * as vscode from 'vscode';
import { gateway } from '../connection.js';
import type { CommandContext } from '../context.js';

export function registerConnectionCommands(c: CommandContext): void {
  c.register('selectConnection', async () => {
    const g = await gateway();
    let list;
    try {
      list = g.listConnectionNames({ env: process.env });
    } catch (err) {
      return c.error((err as Error).message);
    }
    if (!list.names.length)
      return void vscode.window.showWarningMessage(
        `Clean Room: no Snowflake connections found in ${g.snowflakeDir({ env: process.env })} (connections.toml or config.toml).`,
      );
    const pick = await vscode.window.showQuickPick(
      list.names.map(n => ({ label: n, description: n === list.defaultName ? 'default' : undefined, picked: n === c.conn.selected })),
      { placeHolder: 'Snowflake connection for clean room commands' },
    );
    if (pick) await c.conn.select(pick.label);
  });

  c.register('testConnection', () =>
    c.conn.run('testing the Snowflake connection', async (session, g, call) => {
      const r = await session.run(g.statement('session.whoami', {}), call);
      const row = r.rows[0] ?? {};
      c.conn.setRole(row.ROLE ? String(row.ROLE) : undefined);
      void vscode.window.showInformationMessage(
        `Clean Room: connection '${session.settings.name}' works: account ${row.ACCOUNT}, user ${row.USER}, role ${row.ROLE ?? '(none)'}, warehouse ${row.WAREHOUSE ?? '(none)'}.`,
      );
      return row;
    }),
  );

  c.register('forgetSecrets', async () => {
    await c.conn.forgetSecrets();
    void vscode.window.showInformationMessage('Clean Room: stored Snowflake passwords, passphrases and tokens were removed.');
  });
}
