/** Policies: set the profile's lists in Snowflake (diff first), or pull the live ones into it. */
import * as vscode from 'vscode';
import type { Api } from '../../../../core/src/index.js';
import type * as Gateway from '../../../../gateway/src/index.js';
import { gateway } from '../connection.js';
import type { CommandContext } from '../context.js';

export function registerPolicyCommands(c: CommandContext): void {
  /**
   * Automation: `confirm: false` replaces the lists without the modal question (the diff
   * document still opens). Resolves with the diff text and how many lists were sent.
   */
  c.register('setPolicies', async (args: { cleanroom?: string; confirm?: boolean } = {}) => {
    const g = await gateway();
    const p = await c.loadProfile(g).catch(err => void c.error((err as Error).message));
    if (!p) return c.error('no cleanrooms.json found.');
    const cleanroom = await c.askCleanroom(args.cleanroom);
    if (!cleanroom) return;
    const role = c.side();
    let desired: Gateway.SidePolicies;
    try {
      desired = g.sidePolicies(p.profile, cleanroom, role, vscode.workspace.asRelativePath(p.uri));
    } catch (err) {
      return c.error((err as Error).message);
    }
    return c.conn.run(`setting ${role} policies of '${cleanroom}'`, async (session, gw, call) => {
      const input = { role, cleanroom, desired };
      const diffs = await gw.policyDiffs(session, input, call);
      const statements = gw.setPolicyStatements(input, diffs);
      const diff = `${diffs.map(gw.formatDiff).join('\n')}\n\n${statements.map(gw.formatStatement).join('\n')}\n`;
      await c.docs.open(`policy changes for ${cleanroom}.txt`, diff);
      if (!diffs.length) {
        void vscode.window.showWarningMessage(
          `Clean Room: ${vscode.workspace.asRelativePath(p.uri)} states no joinPolicy, columnPolicy or activationPolicy for the ${role} of '${cleanroom}'.`,
        );
        return { diff, sent: 0 };
      }
      if (!statements.length) {
        void vscode.window.showInformationMessage('Clean Room: the live policies already match the profile.');
        return { diff, sent: 0 };
      }
      if (args.confirm !== false) {
        const ok = await vscode.window.showWarningMessage(
          `Replace ${statements.length} policy list(s) in '${cleanroom}'? The set procedures replace the whole list.`,
          { modal: true },
          'Replace',
        );
        if (ok !== 'Replace') return { diff, sent: 0 };
      }
      await gw.applyPolicies(session, input, diffs, call);
      void vscode.window.showInformationMessage(`Clean Room: ${statements.length} policy list(s) set in '${cleanroom}'.`);
      return { diff, sent: statements.length };
    });
  });

  /** Collaboration API: from the data offerings; see collaborationPolicies in gateway/src/policies.ts. */
  c.register('pullPolicies', async (args: { cleanroom?: string } = {}) => {
    const g = await gateway();
    const p = await c.loadProfile(g).catch(err => void c.error((err as Error).message));
    if (!p) return c.error('no cleanrooms.json found to pull into.');
    const apiGen: Api = p.profile.api ?? (await c.apiSetting());
    const cleanroom = await c.askCleanroom(args.cleanroom, apiGen === 'collaboration');
    if (!cleanroom) return;
    const role = c.side();
    const room = p.profile.cleanrooms?.[cleanroom];
    const pulled = await c.conn.run(`pulling policies of '${cleanroom}'`, (session, gw, call): Promise<Gateway.PulledPolicies> =>
      apiGen === 'collaboration'
        ? gw.pullCollaborationPolicies(session, { collaboration: cleanroom, templates: room?.templates, existing: { provider: room?.provider } }, call)
        : gw.pullPolicies(session, { role, cleanroom, existing: { provider: room?.provider, consumer: room?.consumer } }, call),
    );
    if (!pulled) return;
    // The user may have edited the profile while we waited; edit the current text.
    let text = p.doc.getText();
    const changed: string[] = [];
    for (const s of ['provider', 'consumer'] as const) {
      if (!pulled[s]) continue;
      const r = g.writePulledPolicies(text, cleanroom, s, pulled[s]!);
      text = r.text;
      changed.push(...r.changed.map(k => `${s}.${k}`));
    }
    if (!changed.length) return void vscode.window.showInformationMessage(`Clean Room: cleanrooms.json already matches '${cleanroom}'.`);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(p.uri, new vscode.Range(p.doc.positionAt(0), p.doc.positionAt(p.doc.getText().length)), text);
    if (!(await vscode.workspace.applyEdit(edit)) || !(await p.doc.save())) return c.error(`could not update ${vscode.workspace.asRelativePath(p.uri)}.`);
    void vscode.window.showInformationMessage(`Clean Room: updated ${vscode.workspace.asRelativePath(p.uri)}: ${changed.join(', ')}.`);
    return { changed };
  });
}
