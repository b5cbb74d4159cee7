/**
 * Template requests: list them, and review one as a provider — the request opens as a
 * read-only template the language server checks, its findings are listed, and the decision
 * is an explicit Approve or Reject (approving over an error finding asks once more).
 */
import * as vscode from 'vscode';
import type { Api } from '../../../../core/src/index.js';
import type * as Gateway from '../../../../gateway/src/index.js';
import { commandId, type CommandContext, type Side } from '../context.js';
import { findingsOf, summary } from './findings.js';

type Decision = 'approve' | 'reject' | 'none';

export function registerRequestCommands(c: CommandContext): void {
  async function pickRequest(
    g: typeof Gateway,
    session: Gateway.Session,
    call: Gateway.CallOptions,
    apiGen: Api,
    role: Side,
    cleanroom: string,
    pendingOnly: boolean,
    id?: string,
  ) {
    const list = await g.listRequests(session, { api: apiGen, role, cleanroom, pendingOnly }, call);
    if (id !== undefined) {
      const found = list.find(r => r.id === id);
      if (!found) c.error(`no ${pendingOnly ? 'pending ' : ''}template request '${id}' in '${cleanroom}' (${list.length} listed).`);
      return found;
    }
    if (!list.length) {
      void vscode.window.showInformationMessage(`Clean Room: no ${pendingOnly ? 'pending ' : ''}template requests in '${cleanroom}'.`);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      list.map(r => ({
        label: r.templateName ?? r.id,
        description: `${r.status ?? 'PENDING'} · ${r.id}`,
        detail: [r.party, r.reason].filter(Boolean).join(' — ') || undefined,
        request: r,
      })),
      { placeHolder: `Template requests in '${cleanroom}'`, matchOnDescription: true },
    );
    return pick?.request;
  }

  /** `id` opens that request without the quick pick (tests, keybindings). */
  c.register('listRequests', async (args: { cleanroom?: string; id?: string } = {}) => {
    const apiGen = await c.apiSetting();
    const cleanroom = await c.askCleanroom(args.cleanroom, apiGen === 'collaboration');
    if (!cleanroom) return;
    const role = c.side();
    const picked = await c.conn.run(`listing template requests in '${cleanroom}'`, (session, g, call) =>
      pickRequest(g, session, call, apiGen, role, cleanroom, false, args.id),
    );
    if (picked?.definition !== undefined) await c.docs.open(`${picked.templateName ?? picked.id} (request ${picked.id}).jinjasql`, picked.definition);
    return picked;
  });

  /** `api`: the review's own, decided before it opened the request (which moved the active editor away from the profile). */
  async function decide(approve: boolean, args: { cleanroom?: string; id?: string; reason?: string } = {}, api?: Api) {
    const apiGen = api ?? (await c.apiSetting());
    const cleanroom = await c.askCleanroom(args.cleanroom, apiGen === 'collaboration');
    if (!cleanroom) return;
    return c.conn.run(`${approve ? 'approving' : 'rejecting'} a template request in '${cleanroom}'`, async (session, g, call) => {
      const id = args.id ?? (await pickRequest(g, session, call, apiGen, 'provider', cleanroom, true))?.id;
      if (!id) return;
      const reason = approve
        ? undefined
        : (args.reason ?? (await vscode.window.showInputBox({ prompt: 'Reason for the rejection (the requester sees it)', ignoreFocusOut: true })));
      if (!approve && reason === undefined) return;
      const step = await g.decide(session, { api: apiGen, cleanroom, id, reason }, approve, call);
      void vscode.window.showInformationMessage(
        `Clean Room: request ${id} ${approve ? 'approved' : 'rejected'}: ${g.cellText(g.firstCell(step.result)) || 'done'}`,
      );
      return step;
    });
  }

  /**
   * The provider's review. Automation: `id` skips the pick; `decision` answers the
   * Approve/Reject question ('none' leaves the request undecided); `reason` goes with a
   * rejection; `force` approves over error findings. Resolves with the request, the document
   * it was opened in, its findings, and the decision taken.
   */
  c.register('reviewRequest', async (args: { cleanroom?: string; id?: string; decision?: Decision; reason?: string; force?: boolean } = {}) => {
    const apiGen = await c.apiSetting();
    const cleanroom = await c.askCleanroom(args.cleanroom, apiGen === 'collaboration');
    if (!cleanroom) return;
    const picked = await c.conn.run(`loading template requests of '${cleanroom}'`, (session, g, call) =>
      pickRequest(g, session, call, apiGen, 'provider', cleanroom, true, args.id),
    );
    if (!picked) return;
    const editor = await c.docs.open(`${picked.templateName ?? picked.id} (request ${picked.id}).jinjasql`, picked.definition ?? '');
    const findings = await findingsOf(editor.document.uri);
    const head = `Request ${picked.id} (${picked.templateName ?? 'template'}) from ${picked.party ?? 'the consumer'}: ${summary(findings)}.`;
    let decision: Decision | undefined = args.decision;
    if (decision === undefined) {
      const choice = await vscode.window.showInformationMessage(
        head,
        {
          modal: true,
          detail: findings.lines.length
            ? `${findings.lines.join('\n')}\n\nThe findings are also in the Problems view.`
            : 'The template is open beside this question.',
        },
        'Approve',
        'Reject…',
      );
      decision = choice === 'Approve' ? 'approve' : choice === 'Reject…' ? 'reject' : 'none';
    }
    if (decision === 'approve' && findings.errors && !args.force) {
      const again =
        args.decision === undefined
          ? await vscode.window.showWarningMessage(
              `${findings.errors} error finding(s): Snowflake would likely fail this template. Approve anyway?`,
              { modal: true },
              'Approve Anyway',
            )
          : undefined;
      if (again !== 'Approve Anyway') decision = 'none';
    }
    if (decision === 'approve') await decide(true, { cleanroom, id: picked.id }, apiGen);
    else if (decision === 'reject') await decide(false, { cleanroom, id: picked.id, reason: args.reason }, apiGen);
    return { request: picked, uri: editor.document.uri.toString(), errors: findings.errors, findings: findings.lines, decision };
  });
  // Approving always goes through the review: the template is opened and checked first.
  c.register('approveRequest', (args: { cleanroom?: string; id?: string; force?: boolean } = {}) =>
    vscode.commands.executeCommand(commandId('reviewRequest'), { ...args, decision: 'approve' }),
  );
  c.register('rejectRequest', (args?: { cleanroom?: string; id?: string; reason?: string }) => decide(false, args));
}
