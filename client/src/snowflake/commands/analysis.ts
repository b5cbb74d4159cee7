/**
 * Running an analysis of the profile with the flow its kind documents (see the gateway's
 * flows.ts): the template's findings first (the language server's, DCR3xx included), the plan
 * as a document (a dry run stops there), then the run. A multi-provider analysis is prepared,
 * then waits — shown as cancellable progress — until the user says every provider has
 * processed the request; it is never executed right after preparing.
 */
import * as vscode from 'vscode';
import type * as Gateway from '../../../../gateway/src/index.js';
import { gateway } from '../connection.js';
import type { CommandContext } from '../context.js';
import { asComments, findingsOf, summary } from './findings.js';

export interface RunAnalysisArgs {
  analysis?: string;
  /** Provider-run: the consumer's account locator. */
  consumer?: string;
  /** Activation: the segment name. */
  segment?: string;
  /** Activation: legacy 'consumer' | 'provider'; Collaboration: the destination alias. */
  activateTo?: string;
  /** Collaboration: the registered template ID. */
  templateId?: string;
  /** Only show what would be sent. */
  dryRun?: boolean;
  force?: boolean;
  /** Multi-provider automation: true executes once prepared, false stops after preparing. */
  execute?: boolean;
}

/** Resolves true when the user says the providers are done, false when the wait is cancelled. */
function waitForProviders(name: string): Thenable<boolean> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Clean Room: '${name}' is prepared; waiting for every provider to process the request`,
      cancellable: true,
    },
    (_progress, token) =>
      new Promise<boolean>(resolve => {
        token.onCancellationRequested(() => resolve(false));
        void vscode.window
          .showInformationMessage(
            `Clean Room: '${name}' was prepared. Execute it once every provider has processed the request (dcr multiprovider process).`,
            'Execute Now',
            'Later',
          )
          .then(choice => resolve(choice === 'Execute Now'));
      }),
  );
}

export function registerAnalysisCommands(c: CommandContext): void {
  c.register('dryRunAnalysis', (args: RunAnalysisArgs = {}) =>
    vscode.commands.executeCommand('cleanRoomTemplates.snowflake.runAnalysis', { ...args, dryRun: true }),
  );
  c.register('runAnalysis', async (args: RunAnalysisArgs = {}) => {
    const g = await gateway();
    const p = await c.loadProfile(g).catch(err => void c.error((err as Error).message));
    if (!p) return c.error('no cleanrooms.json with analyses found.');
    const names = Object.keys(p.profile.analyses ?? {});
    const name = args.analysis ?? (await vscode.window.showQuickPick(names, { placeHolder: 'Analysis to run' }));
    if (!name) return;
    const shown = vscode.workspace.asRelativePath(p.uri);
    let a: ReturnType<typeof g.analysisInput>;
    try {
      a = g.analysisInput(p.profile, name, shown);
    } catch (err) {
      return c.error((err as Error).message);
    }
    const templateUri = vscode.Uri.joinPath(p.uri, '..', a.template);
    let templateText: string;
    try {
      templateText = new TextDecoder().decode(await vscode.workspace.fs.readFile(templateUri));
    } catch {
      return c.error(`analysis '${name}': cannot read its template ${vscode.workspace.asRelativePath(templateUri)}.`);
    }
    const api = p.profile.api ?? (await c.apiSetting());
    const base: Gateway.AnalysisRequest = {
      ...a,
      api,
      runAs: a.runAs,
      templateText,
      templateId: args.templateId ?? (/\.ya?ml$/i.test(a.template) ? safe(() => g.predictedTemplateId(templateText)) : undefined),
    };
    const kind = g.analysisKind(base);
    const request: Gateway.AnalysisRequest = { ...base };
    if (kind === 'provider-run') {
      request.consumer = await c.ask("The consumer's account locator (its clean room runs the analysis)", args.consumer);
      if (!request.consumer) return;
    }
    if (kind === 'activation' || kind === 'collaboration-activation') {
      const segment = await c.ask('Segment name for the activated results', args.segment);
      if (!segment) return;
      if (kind === 'activation') {
        const to = args.activateTo ?? (await vscode.window.showQuickPick(['consumer', 'provider'], { placeHolder: 'Activate to whose account?' }));
        if (to !== 'consumer' && to !== 'provider') return;
        request.activation = { segment, to };
      } else {
        const collaborator = await c.ask('Destination collaborator alias (listed under activation_destinations in the collaboration spec)', args.activateTo);
        if (!collaborator) return;
        request.activation = { segment, collaborator };
      }
    }
    let plan: Gateway.AnalysisPlan;
    try {
      plan = g.analysisPlan(request);
    } catch (err) {
      return c.error((err as Error).message);
    }
    // The language server checks the template against the profile (DCR3xx) once it is open.
    await vscode.workspace.openTextDocument(templateUri);
    const findings = await findingsOf(templateUri, undefined, 3000, name);
    const planned =
      kind === 'multiprovider' ? [...plan.statements, ...g.analysisPlan({ ...request, step: 'execute' }).statements] : [...plan.checks, ...plan.statements];
    await c.showPlan(g, `${name} (${kind})`, planned, asComments(findings, vscode.workspace.asRelativePath(templateUri)));
    if (args.dryRun) return { kind, statements: planned.map(s => ({ id: s.id, sql: s.sql, binds: s.binds })), findings: findings.lines };
    if (findings.errors && !args.force) {
      const go = await vscode.window.showWarningMessage(
        `'${name}': ${summary(findings)}. Snowflake would likely refuse it.`,
        { modal: true, detail: findings.lines.join('\n') },
        'Run Anyway',
      );
      if (go !== 'Run Anyway') return;
    }
    let out = '';
    const record = (steps: Gateway.StepResult[], gw: typeof Gateway) => {
      for (const s of steps.filter(x => x.statement.id !== 'session.use_secondary_roles_none' && x.statement.id !== 'provider.check_analysis_status'))
        out += `-- ${s.statement.id}\n${gw.formatTable(s.result, 120)}\n`;
    };
    const first = await c.conn.run(`running '${name}'`, async (session, gw, call, progress) => {
      const outcome = await gw.runAnalysisFlow(session, request, {
        ...call,
        onStatus: (status, n) => progress.report({ message: `request ${status} (check ${n})` }),
      });
      record(outcome.steps, gw);
      return outcome;
    });
    if (!first) return;
    if (kind === 'multiprovider') {
      const go = args.execute ?? (await waitForProviders(name));
      if (!go) {
        await c.docs.open(`${name} results.txt`, out);
        return { kind, executed: false };
      }
      const second = await c.conn.run(`executing '${name}'`, async (session, gw, call) => {
        const outcome = await gw.runAnalysisFlow(session, { ...request, step: 'execute' }, call);
        record(outcome.steps, gw);
        return outcome;
      });
      if (!second) return;
    }
    await c.docs.open(`${name} results.txt`, out);
    return { kind, executed: true };
  });
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
