/**
 * Submitting the template of the active editor: a pick when a worksheet holds several, every
 * finding of the language server shown before anything is sent, the plan as a document, and
 * for the Collaboration API the collaborators to share it with.
 */
import * as vscode from 'vscode';
import type { Api } from '../../../../core/src/index.js';
import type * as Gateway from '../../../../gateway/src/index.js';
import { gateway } from '../connection.js';
import type { CommandContext, Side } from '../context.js';
import { asComments, findingsOf, summary } from './findings.js';

/** What `submitTemplate` accepts when run programmatically (tests, keybindings). */
export interface SubmitArgs {
  cleanroom?: string;
  name?: string;
  role?: Side;
  /** Which template of a worksheet (0-based), instead of the pick. */
  index?: number;
  /** Collaboration: aliases to share the template with, instead of asking. */
  shareWith?: string[];
  /** false: send without the confirmation dialog (the plan document still opens). */
  confirm?: boolean;
  force?: boolean;
}

export function registerSubmitCommand(c: CommandContext): void {
  c.register('submitTemplate', async (args: SubmitArgs = {}) => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return c.error('open a template to submit.');
    if (!vscode.workspace.isTrusted) return c.error('Snowflake commands are disabled in Restricted Mode. Trust this workspace to use them.');
    const g = await gateway();
    const doc = editor.document;
    const text = doc.getText();
    // The templates and the findings are the language server's: the extension has no engine.
    let found;
    try {
      found = await c.documentTemplates(doc.uri.toString());
    } catch (err) {
      return c.error(`the language server could not list the templates: ${(err as Error).message}`);
    }
    const kind = found.kind;
    const regions = found.templates;
    if (!regions.length) return c.error('no template found in this document.');
    let region = regions[args.index ?? 0];
    if (regions.length > 1 && args.index === undefined) {
      const pick = await vscode.window.showQuickPick(
        regions.map((r, i) => ({
          label: r.templateName ?? `Template ${i + 1}`,
          description: `line ${doc.positionAt(r.start).line + 1}`,
          detail: r.label,
          region: r,
        })),
        { placeHolder: 'This worksheet holds several templates: which one to submit?' },
      );
      if (!pick) return;
      region = pick.region;
    }
    if (!region) return c.error(`no template #${args.index} in this document (${regions.length} found).`);
    // A spec file, or a worksheet's REGISTER_TEMPLATE call, is Collaboration material whatever the setting says.
    const spec = kind === 'spec' ? text : region.spec;
    const apiGen: Api = spec !== undefined || region.api === 'collaboration' ? 'collaboration' : (region.api ?? (await c.apiSetting()));
    const range = new vscode.Range(doc.positionAt(region.start), doc.positionAt(region.end));
    const findings = await findingsOf(doc.uri, kind === 'worksheet' ? range : undefined);
    if (findings.errors && !args.force) {
      const go = await vscode.window.showWarningMessage(
        `This template has ${summary(findings)}; Snowflake would likely reject it.`,
        { modal: true, detail: findings.lines.join('\n') },
        'Submit Anyway',
      );
      if (go !== 'Submit Anyway') return;
    }
    const cleanroom = await c.askCleanroom(args.cleanroom ?? region.cleanroom, apiGen === 'collaboration');
    if (!cleanroom) return;
    const role = args.role ?? c.side();
    const defaultName = region.templateName ?? g.templateNameOf(doc.uri.path);
    const name =
      args.name ??
      (apiGen === 'collaboration' ? defaultName : await vscode.window.showInputBox({ prompt: 'Template name', value: defaultName, ignoreFocusOut: true }));
    if (!name) return;
    let shareWith = args.shareWith;
    if (apiGen === 'collaboration' && shareWith === undefined) {
      const typed = await vscode.window.showInputBox({ prompt: 'Share with (collaborator aliases, comma-separated; empty: only you)', ignoreFocusOut: true });
      if (typed === undefined) return;
      shareWith = typed
        .split(',')
        .map(s => s.trim())
        .filter(Boolean);
    }
    const input: Gateway.SubmitInput = {
      api: apiGen,
      role,
      cleanroom,
      templateName: name,
      template: kind === 'template' ? text : region.text,
      spec: apiGen === 'collaboration' ? spec : undefined,
      shareWith: shareWith ?? [],
    };
    let plan;
    try {
      plan = g.submitPlan(input);
    } catch (err) {
      return c.error((err as Error).message);
    }
    await c.showPlan(g, 'what will be sent', plan, asComments(findings, vscode.workspace.asRelativePath(doc.uri)));
    if (args.confirm !== false) {
      const ok = await vscode.window.showInformationMessage(
        `Send ${plan.length === 1 ? 'this statement' : 'these statements'} to Snowflake (connection '${c.conn.selected ?? 'default'}')? Findings: ${summary(findings)}.`,
        { modal: true },
        'Send',
      );
      if (ok !== 'Send') return;
    }
    const steps = await c.conn.run(`submitting '${name}' to '${cleanroom}'`, (session, gw, call) => gw.submit(session, input, call));
    if (!steps) {
      c.api.lastSubmit = { ok: false, message: 'failed or cancelled' };
      return;
    }
    const message = `Clean Room: ${steps
      .filter(s => s.statement.id !== 'session.use_secondary_roles_none')
      .map(s => `${s.statement.id}: ${g.cellText(g.firstCell(s.result)) || 'done'}`)
      .join('; ')}`;
    c.api.lastSubmit = { ok: true, message };
    void vscode.window.showInformationMessage(message);
  });
}
