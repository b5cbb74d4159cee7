/**
 * Clean room commands that talk to Snowflake (consumer, provider and Collaboration API), for
 * the command palette. Everything goes through the gateway; this file is UI only.
 */
import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import type { Api } from '../../../core/src/index.js';
import type * as Gateway from '../../../gateway/src/index.js';
import { gateway, SnowflakeConnection, type Log } from './connection.js';
import { SnowflakeDocuments } from './documents.js';

type Side = 'consumer' | 'provider';
const ID = (name: string) => `cleanRoomTemplates.snowflake.${name}`;

/** What `submitTemplate` accepts when run programmatically (tests, keybindings). */
export interface SubmitArgs {
  cleanroom?: string;
  name?: string;
  role?: Side;
  /** false: send without the confirmation dialog (the preview document still opens). */
  confirm?: boolean;
  force?: boolean;
}

export interface SnowflakeCommandsApi {
  /** Resolves with the last submit's outcome; for the real-editor tests. */
  lastSubmit?: { ok: boolean; message: string };
  /** The connection status bar item's text. */
  connectionStatus(): string;
}

export function registerSnowflakeCommands(context: vscode.ExtensionContext, log: Log): SnowflakeCommandsApi {
  const conn = new SnowflakeConnection(context, log);
  const docs = new SnowflakeDocuments();
  const api: SnowflakeCommandsApi = { connectionStatus: () => conn.statusText };
  context.subscriptions.push(conn, docs);
  const cfg = () => vscode.workspace.getConfiguration('cleanRoomTemplates');
  const side = (): Side => (cfg().get<string>('snowflake.role') === 'provider' ? 'provider' : 'consumer');

  const register = (name: string, fn: (...args: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(ID(name), fn));

  // ------------------------------------------------------------ profile helpers
  async function profileUri(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === 'file') {
      let dir = dirname(active.fsPath);
      for (;;) {
        const candidate = vscode.Uri.file(join(dir, 'cleanrooms.json'));
        try {
          await vscode.workspace.fs.stat(candidate);
          return candidate;
        } catch {
          const up = dirname(dir);
          if (up === dir) break;
          dir = up;
        }
      }
    }
    return (await vscode.workspace.findFiles('**/cleanrooms.json', '**/node_modules/**', 1))[0];
  }

  async function loadProfile(g: typeof Gateway): Promise<{ uri: vscode.Uri; profile: Gateway.Profile; doc: vscode.TextDocument } | undefined> {
    const uri = await profileUri();
    if (!uri) return undefined;
    const doc = await vscode.workspace.openTextDocument(uri);
    return { uri, doc, profile: g.parseProfile(doc.getText(), vscode.workspace.asRelativePath(uri)) };
  }

  async function apiSetting(): Promise<Api> {
    const g = await gateway();
    const p = await loadProfile(g).catch(() => undefined);
    return p?.profile.api ?? (cfg().get<string>('api') === 'collaboration' ? 'collaboration' : 'legacy');
  }

  async function askCleanroom(given?: string, collaboration = false): Promise<string | undefined> {
    if (given) return given;
    const g = await gateway();
    const names = Object.keys((await loadProfile(g).catch(() => undefined))?.profile.cleanrooms ?? {});
    const label = collaboration ? 'collaboration' : 'clean room';
    if (names.length) {
      const other = `$(edit) Another ${label}…`;
      const pick = await vscode.window.showQuickPick([...names, other], { placeHolder: `Which ${label}?` });
      if (pick !== other) return pick;
    }
    return vscode.window.showInputBox({ prompt: `Name of the ${label}`, ignoreFocusOut: true });
  }

  const showRows = (title: string, g: typeof Gateway, r: Gateway.QueryResult) => docs.open(`${title}.txt`, `-- ${title}\n${g.formatTable(r, 120)}`);

  // ------------------------------------------------------------ connection
  register('selectConnection', async () => {
    const g = await gateway();
    let list;
    try {
      list = g.listConnectionNames({ env: process.env });
    } catch (err) {
      return void vscode.window.showErrorMessage(`Clean Room: ${(err as Error).message}`);
    }
    if (!list.names.length) return void vscode.window.showWarningMessage(`Clean Room: no Snowflake connections found in ${g.snowflakeDir({ env: process.env })} (connections.toml or config.toml).`);
    const pick = await vscode.window.showQuickPick(
      list.names.map(n => ({ label: n, description: n === list.defaultName ? 'default' : undefined, picked: n === conn.selected })),
      { placeHolder: 'Snowflake connection for clean room commands' },
    );
    if (pick) await conn.select(pick.label);
  });

  register('testConnection', () =>
    conn.run('testing the Snowflake connection', async (session, g, call) => {
      const r = await session.run(g.statement('session.whoami', {}), call);
      const row = r.rows[0] ?? {};
      conn.setRole(row.ROLE ? String(row.ROLE) : undefined);
      void vscode.window.showInformationMessage(`Clean Room: connection '${session.settings.name}' works: account ${row.ACCOUNT}, user ${row.USER}, role ${row.ROLE ?? '(none)'}, warehouse ${row.WAREHOUSE ?? '(none)'}.`);
      return row;
    }),
  );

  register('forgetSecrets', async () => {
    await conn.forgetSecrets();
    void vscode.window.showInformationMessage('Clean Room: stored Snowflake passwords, passphrases and tokens were removed.');
  });

  // ------------------------------------------------------------ submit
  register('submitTemplate', async (args: SubmitArgs = {}) => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return void vscode.window.showErrorMessage('Clean Room: open a template to submit.');
    if (!vscode.workspace.isTrusted) return void vscode.window.showErrorMessage('Clean Room: Snowflake commands are disabled in Restricted Mode. Trust this workspace to use them.');
    const g = await gateway();
    const doc = editor.document;
    const text = doc.getText();
    // Only the region finder (not the whole analysis) is bundled into the extension; the
    // findings are the language server's, already on the document.
    const { detectKind, extractTemplates } = await import('../../../core/src/index.js');
    const kind = detectKind(doc.uri.path, doc.languageId, text);
    const region = extractTemplates(text, kind)[0];
    if (!region) return void vscode.window.showErrorMessage('Clean Room: no template found in this document.');
    const apiGen: Api = kind === 'spec' ? 'collaboration' : await apiSetting();
    const errors = vscode.languages.getDiagnostics(doc.uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error && /^DCR\d+$/.test(String(typeof d.code === 'object' ? d.code.value : d.code)));
    if (errors.length && !args.force) {
      const go = await vscode.window.showWarningMessage(`This template has ${errors.length} error finding(s). Snowflake would likely reject it.`, { modal: true }, 'Submit Anyway');
      if (go !== 'Submit Anyway') return;
    }
    const cleanroom = await askCleanroom(args.cleanroom ?? region.meta.cleanroom, apiGen === 'collaboration');
    if (!cleanroom) return;
    const role = args.role ?? side();
    const defaultName = region.meta.templateName ?? g.templateNameOf(doc.uri.path);
    const name = args.name ?? (apiGen === 'collaboration' ? defaultName : await vscode.window.showInputBox({ prompt: 'Template name', value: defaultName, ignoreFocusOut: true }));
    if (!name) return;
    const input: Gateway.SubmitInput = { api: apiGen, role, cleanroom, templateName: name, template: kind === 'template' ? text : region.text, spec: apiGen === 'collaboration' ? text : undefined, shareWith: [] };
    let plan;
    try {
      plan = g.submitPlan(input);
    } catch (err) {
      return void vscode.window.showErrorMessage(`Clean Room: ${(err as Error).message}`);
    }
    await docs.open('what will be sent.sql', `-- Clean Room: what will be sent (binds are sent as parameters, byte for byte)\n${plan.map(g.formatStatement).join('\n')}\n`);
    if (args.confirm !== false) {
      const ok = await vscode.window.showInformationMessage(`Send ${plan.length === 1 ? 'this statement' : 'these statements'} to Snowflake (connection '${conn.selected ?? 'default'}')?`, { modal: true }, 'Send');
      if (ok !== 'Send') return;
    }
    const steps = await conn.run(`submitting '${name}' to '${cleanroom}'`, (session, gw, call) => gw.submit(session, input, call));
    if (!steps) {
      api.lastSubmit = { ok: false, message: 'failed or cancelled' };
      return;
    }
    const message = `Clean Room: ${steps.map(s => `${s.statement.id}: ${g.cellText(g.firstCell(s.result)) || 'done'}`).join('; ')}`;
    api.lastSubmit = { ok: true, message };
    void vscode.window.showInformationMessage(message);
  });

  // ------------------------------------------------------------ requests
  async function pickRequest(g: typeof Gateway, session: Gateway.Session, call: Gateway.CallOptions, apiGen: Api, role: Side, cleanroom: string, pendingOnly: boolean, id?: string) {
    const list = await g.listRequests(session, { api: apiGen, role, cleanroom, pendingOnly }, call);
    if (id !== undefined) {
      const found = list.find(r => r.id === id);
      if (!found) void vscode.window.showErrorMessage(`Clean Room: no ${pendingOnly ? 'pending ' : ''}template request '${id}' in '${cleanroom}' (${list.length} listed).`);
      return found;
    }
    if (!list.length) {
      void vscode.window.showInformationMessage(`Clean Room: no ${pendingOnly ? 'pending ' : ''}template requests in '${cleanroom}'.`);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      list.map(r => ({ label: r.templateName ?? r.id, description: `${r.status ?? 'PENDING'} · ${r.id}`, detail: [r.party, r.reason].filter(Boolean).join(' — ') || undefined, request: r })),
      { placeHolder: `Template requests in '${cleanroom}'`, matchOnDescription: true },
    );
    return pick?.request;
  }

  /** `id` opens that request without the quick pick (tests, keybindings). */
  register('listRequests', async (args: { cleanroom?: string; id?: string } = {}) => {
    const apiGen = await apiSetting();
    const cleanroom = await askCleanroom(args.cleanroom, apiGen === 'collaboration');
    if (!cleanroom) return;
    const role = side();
    const picked = await conn.run(`listing template requests in '${cleanroom}'`, (session, g, call) => pickRequest(g, session, call, apiGen, role, cleanroom, false, args.id));
    if (picked?.definition !== undefined) await docs.open(`${picked.templateName ?? picked.id} (request ${picked.id}).jinjasql`, picked.definition);
    return picked;
  });

  async function decideRequest(approve: boolean, args: { cleanroom?: string; id?: string; reason?: string } = {}) {
    const apiGen = await apiSetting();
    const cleanroom = await askCleanroom(args.cleanroom, apiGen === 'collaboration');
    if (!cleanroom) return;
    await conn.run(`${approve ? 'approving' : 'rejecting'} a template request in '${cleanroom}'`, async (session, g, call) => {
      const id = args.id ?? (await pickRequest(g, session, call, apiGen, 'provider', cleanroom, true))?.id;
      if (!id) return;
      const reason = approve ? undefined : (args.reason ?? (await vscode.window.showInputBox({ prompt: 'Reason for the rejection (the requester sees it)', ignoreFocusOut: true })));
      if (!approve && reason === undefined) return;
      const step = await g.decide(session, { api: apiGen, cleanroom, id, reason }, approve, call);
      void vscode.window.showInformationMessage(`Clean Room: request ${id} ${approve ? 'approved' : 'rejected'}: ${g.cellText(g.firstCell(step.result)) || 'done'}`);
    });
  }

  /**
   * Automation: `id` skips the pick; `decision` answers the Approve/Reject prompt ('none' leaves
   * the request undecided), `reason` goes with a rejection. Resolves with the request and the
   * document it was opened in.
   */
  register('reviewRequest', async (args: { cleanroom?: string; id?: string; decision?: 'approve' | 'reject' | 'none'; reason?: string } = {}) => {
    const apiGen = await apiSetting();
    const cleanroom = await askCleanroom(args.cleanroom, apiGen === 'collaboration');
    if (!cleanroom) return;
    const picked = await conn.run(`loading template requests of '${cleanroom}'`, (session, g, call) => pickRequest(g, session, call, apiGen, 'provider', cleanroom, true, args.id));
    if (!picked) return;
    const editor = await docs.open(`${picked.templateName ?? picked.id} (request ${picked.id}).jinjasql`, picked.definition ?? '');
    const errors = await docs.errorCount(editor.document.uri);
    const choice =
      args.decision === undefined
        ? await vscode.window.showInformationMessage(
            `Request ${picked.id} from ${picked.party ?? 'the consumer'}: ${errors ? `${errors} error finding(s) — see the Problems view.` : 'no error findings.'}`,
            'Approve',
            'Reject…',
          )
        : { approve: 'Approve', reject: 'Reject…', none: undefined }[args.decision];
    if (choice === 'Approve') await decideRequest(true, { cleanroom, id: picked.id });
    else if (choice === 'Reject…') await decideRequest(false, { cleanroom, id: picked.id, reason: args.reason });
    return { request: picked, uri: editor.document.uri.toString(), errors };
  });
  register('approveRequest', (args?: { cleanroom?: string; id?: string }) => decideRequest(true, args));
  register('rejectRequest', (args?: { cleanroom?: string; id?: string; reason?: string }) => decideRequest(false, args));

  // ------------------------------------------------------------ templates
  register('viewTemplates', async () => {
    const apiGen = await apiSetting();
    const cleanroom = await askCleanroom(undefined, apiGen === 'collaboration');
    if (!cleanroom) return;
    await conn.run(`templates in '${cleanroom}'`, async (session, g, call) => showRows(`templates in ${cleanroom}`, g, await session.run(g.viewTemplatesStatement(apiGen, side(), cleanroom), call)));
  });

  register('viewTemplateDefinition', async () => {
    const cleanroom = await askCleanroom();
    if (!cleanroom) return;
    const template = await vscode.window.showInputBox({ prompt: 'Template name', ignoreFocusOut: true });
    if (!template) return;
    await conn.run(`definition of '${template}'`, async (session, g, call) => {
      const r = await session.run(g.templateDefinitionStatement(side(), cleanroom, template), call);
      await docs.open(`${template} (${cleanroom}).jinjasql`, g.cellText(g.firstCell(r)));
    });
  });

  register('getTemplateArguments', async () => {
    const cleanroom = await askCleanroom();
    if (!cleanroom) return;
    const template = await vscode.window.showInputBox({ prompt: 'Template name', ignoreFocusOut: true });
    if (!template) return;
    await conn.run(`arguments of '${template}'`, async (session, g, call) => showRows(`arguments of ${template}`, g, await session.run(g.statement('consumer.get_arguments_from_template', { cleanroom, template }), call)));
  });

  register('viewDataOfferings', async () => {
    const collaboration = await askCleanroom(undefined, true);
    if (!collaboration) return;
    await conn.run(`data offerings of '${collaboration}'`, async (session, g, call) => showRows(`data offerings in ${collaboration}`, g, await session.run(g.statement('collaboration.view_data_offerings', { collaboration }), call)));
  });

  // ------------------------------------------------------------ analyses
  register('runAnalysis', async (args: { analysis?: string } = {}) => {
    const g = await gateway();
    const p = await loadProfile(g).catch(err => void vscode.window.showErrorMessage(`Clean Room: ${(err as Error).message}`));
    if (!p) return void vscode.window.showErrorMessage('Clean Room: no cleanrooms.json with analyses found.');
    const names = Object.keys(p.profile.analyses ?? {});
    const name = args.analysis ?? (await vscode.window.showQuickPick(names, { placeHolder: 'Analysis to run' }));
    if (!name) return;
    let a: Gateway.AnalysisInput;
    try {
      a = g.analysisInput(p.profile, name, vscode.workspace.asRelativePath(p.uri));
    } catch (err) {
      return void vscode.window.showErrorMessage(`Clean Room: ${(err as Error).message}`);
    }
    const statements = a.cleanrooms.length === 1 ? [g.runAnalysisStatement(a)] : [g.prepareMultiproviderStatement(a), g.executeMultiproviderStatement(a)];
    await conn.run(`running '${name}'`, async (session, gw, call, progress) => {
      let out = '';
      for (const s of statements) {
        progress.report({ message: s.id });
        out += `-- ${s.id}\n${gw.formatTable(await session.run(s, call), 120)}\n`;
      }
      await docs.open(`${name} results.txt`, out);
    });
  });

  async function askConsumer(): Promise<string | undefined> {
    return vscode.window.showInputBox({ prompt: "Consumer's account locator", ignoreFocusOut: true });
  }
  register('viewMultiproviderRequests', async () => {
    const cleanroom = await askCleanroom();
    const consumer = cleanroom && (await askConsumer());
    if (!cleanroom || !consumer) return;
    await conn.run(`multi-provider requests in '${cleanroom}'`, async (session, g, call) => showRows(`multi-provider requests in ${cleanroom}`, g, await session.run(g.statement('provider.view_multiprovider_requests', { cleanroom, consumer }), call)));
  });
  register('processMultiproviderRequest', async () => {
    const cleanroom = await askCleanroom();
    const consumer = cleanroom && (await askConsumer());
    if (!cleanroom || !consumer) return;
    const requestId = await vscode.window.showInputBox({ prompt: 'Request ID (-1 processes every waiting request)', value: '-1', ignoreFocusOut: true });
    if (!requestId) return;
    await conn.run(`processing multi-provider request ${requestId}`, async (session, g, call) => showRows(`processed ${requestId}`, g, await session.run(g.statement('provider.process_multiprovider_request', { cleanroom, consumer, requestId }), call)));
  });

  // ------------------------------------------------------------ policies
  /**
   * Automation: `confirm: false` replaces the lists without the modal question (the diff
   * document still opens). Resolves with the diff text and how many lists were sent.
   */
  register('setPolicies', async (args: { cleanroom?: string; confirm?: boolean } = {}) => {
    const g = await gateway();
    const p = await loadProfile(g).catch(err => void vscode.window.showErrorMessage(`Clean Room: ${(err as Error).message}`));
    if (!p) return void vscode.window.showErrorMessage('Clean Room: no cleanrooms.json found.');
    const cleanroom = await askCleanroom(args.cleanroom);
    if (!cleanroom) return;
    const role = side();
    let desired: Gateway.SidePolicies;
    try {
      desired = g.sidePolicies(p.profile, cleanroom, role, vscode.workspace.asRelativePath(p.uri));
    } catch (err) {
      return void vscode.window.showErrorMessage(`Clean Room: ${(err as Error).message}`);
    }
    return conn.run(`setting ${role} policies of '${cleanroom}'`, async (session, gw, call) => {
      const input = { role, cleanroom, desired };
      const diffs = await gw.policyDiffs(session, input, call);
      const statements = gw.setPolicyStatements(input, diffs);
      const diff = `${diffs.map(gw.formatDiff).join('\n')}\n\n${statements.map(gw.formatStatement).join('\n')}\n`;
      await docs.open(`policy changes for ${cleanroom}.txt`, diff);
      if (!diffs.length) {
        void vscode.window.showWarningMessage(`Clean Room: ${vscode.workspace.asRelativePath(p.uri)} states no joinPolicy, columnPolicy or activationPolicy for the ${role} of '${cleanroom}'.`);
        return { diff, sent: 0 };
      }
      if (!statements.length) {
        void vscode.window.showInformationMessage('Clean Room: the live policies already match the profile.');
        return { diff, sent: 0 };
      }
      if (args.confirm !== false) {
        const ok = await vscode.window.showWarningMessage(`Replace ${statements.length} policy list(s) in '${cleanroom}'? The set procedures replace the whole list.`, { modal: true }, 'Replace');
        if (ok !== 'Replace') return { diff, sent: 0 };
      }
      await gw.applyPolicies(session, input, diffs, call);
      void vscode.window.showInformationMessage(`Clean Room: ${statements.length} policy list(s) set in '${cleanroom}'.`);
      return { diff, sent: statements.length };
    });
  });

  /** Collaboration API: from the data offerings; see collaborationPolicies in gateway/src/policies.ts. */
  register('pullPolicies', async (args: { cleanroom?: string } = {}) => {
    const g = await gateway();
    const p = await loadProfile(g).catch(err => void vscode.window.showErrorMessage(`Clean Room: ${(err as Error).message}`));
    if (!p) return void vscode.window.showErrorMessage('Clean Room: no cleanrooms.json found to pull into.');
    const apiGen: Api = p.profile.api ?? (cfg().get<string>('api') === 'collaboration' ? 'collaboration' : 'legacy');
    const cleanroom = await askCleanroom(args.cleanroom, apiGen === 'collaboration');
    if (!cleanroom) return;
    const role = side();
    const room = p.profile.cleanrooms?.[cleanroom];
    const pulled = await conn.run(`pulling policies of '${cleanroom}'`, (session, gw, call): Promise<Gateway.PulledPolicies> =>
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
    if (!(await vscode.workspace.applyEdit(edit)) || !(await p.doc.save())) return void vscode.window.showErrorMessage(`Clean Room: could not update ${vscode.workspace.asRelativePath(p.uri)}.`);
    void vscode.window.showInformationMessage(`Clean Room: updated ${vscode.workspace.asRelativePath(p.uri)}: ${changed.join(', ')}.`);
    return { changed };
  });

  return api;
}
