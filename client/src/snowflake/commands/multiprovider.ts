/** The provider's side of multi-provider analyses, and the legacy set-up steps (consents, enablements). */
import * as vscode from 'vscode';
import type * as Gateway from '../../../../gateway/src/index.js';
import type { CommandContext } from '../context.js';

interface ProviderArgs {
  cleanroom?: string;
  consumer?: string;
  requestId?: string;
  otherCleanrooms?: string;
  template?: string;
  /** false: send without the confirmation dialog (the plan document still opens). */
  confirm?: boolean;
}

export function registerMultiproviderCommands(c: CommandContext): void {
  /** Asks what is missing, shows the statement, confirms it when it changes something, runs it. */
  async function one(
    title: string,
    build: (g: typeof Gateway, a: Required<Pick<ProviderArgs, 'cleanroom'>> & ProviderArgs) => Gateway.Statement | undefined,
    args: ProviderArgs,
    needs: ('consumer' | 'requestId' | 'otherCleanrooms' | 'template')[],
  ) {
    const cleanroom = await c.askCleanroom(args.cleanroom);
    if (!cleanroom) return;
    const a: Required<Pick<ProviderArgs, 'cleanroom'>> & ProviderArgs = { ...args, cleanroom };
    const prompts = {
      consumer: "The consumer's account locator",
      requestId: 'Request ID (-1 processes every waiting request)',
      otherCleanrooms: 'The other clean rooms of the analysis (e.g. ORG.ACCOUNT_LOCATOR.CLEAN_ROOM)',
      template: 'Template name',
    };
    for (const k of needs) {
      a[k] = await c.ask(prompts[k], args[k], k === 'requestId' ? '-1' : undefined);
      if (!a[k]) return;
    }
    const g = await (await import('../connection.js')).gateway();
    let s: Gateway.Statement | undefined;
    try {
      s = build(g, a);
    } catch (err) {
      return c.error((err as Error).message);
    }
    if (!s) return;
    const writes = g.describeStatement(s.id)?.writes;
    if (writes) {
      await c.showPlan(g, title, [s]);
      if (args.confirm !== false) {
        const ok = await vscode.window.showInformationMessage(`${title}: send this statement?`, { modal: true }, 'Send');
        if (ok !== 'Send') return;
      }
    }
    const stmt = s;
    return c.conn.run(title, async (session, gw, call) => {
      const r = await session.run(stmt, call);
      await c.showRows(title, gw, r);
      return r.rows;
    });
  }

  c.register('enableMultiprovider', (args: ProviderArgs = {}) =>
    one(
      'enable multi-provider computation',
      (g, a) =>
        g.statement('provider.enable_multiprovider_computation', { cleanroom: a.cleanroom, consumer: a.consumer!, otherCleanrooms: a.otherCleanrooms! }),
      args,
      ['consumer', 'otherCleanrooms'],
    ),
  );
  c.register('viewMultiproviderRequests', (args: ProviderArgs = {}) =>
    one('multi-provider requests', (g, a) => g.statement('provider.view_multiprovider_requests', { cleanroom: a.cleanroom, consumer: a.consumer! }), args, [
      'consumer',
    ]),
  );
  c.register('processMultiproviderRequest', (args: ProviderArgs = {}) =>
    one(
      'process multi-provider requests',
      (g, a) => g.statement('provider.process_multiprovider_request', { cleanroom: a.cleanroom, consumer: a.consumer!, requestId: a.requestId! }),
      args,
      ['consumer', 'requestId'],
    ),
  );
  c.register('revokeMultiproviderRequests', (args: ProviderArgs = {}) =>
    one(
      'revoke multi-provider requests',
      (g, a) => g.statement('provider.revoke_multiprovider_requests', { cleanroom: a.cleanroom, consumer: a.consumer! }),
      args,
      ['consumer'],
    ),
  );
  c.register('suspendMultiproviderTasks', (args: ProviderArgs = {}) =>
    one(
      'suspend multi-provider processing',
      (g, a) => g.statement('provider.suspend_multiprovider_tasks', { cleanroom: a.cleanroom, consumer: a.consumer! }),
      args,
      ['consumer'],
    ),
  );
  c.register('resumeMultiproviderTasks', (args: ProviderArgs = {}) =>
    one(
      'resume multi-provider processing',
      (g, a) => g.statement('provider.resume_multiprovider_tasks', { cleanroom: a.cleanroom, consumer: a.consumer! }),
      args,
      ['consumer'],
    ),
  );
  c.register('enableProviderRun', (args: ProviderArgs = {}) =>
    one(
      'enable provider-run analysis',
      (g, a) => g.statement('consumer.enable_templates_for_provider_run', { cleanroom: a.cleanroom, templates: [a.template!], differentialPrivacy: false }),
      args,
      ['template'],
    ),
  );
  c.register('requestActivationConsent', (args: ProviderArgs = {}) =>
    one(
      'request activation consent',
      (g, a) => g.statement('provider.request_provider_activation_consent', { cleanroom: a.cleanroom, template: a.template! }),
      args,
      ['template'],
    ),
  );
  c.register('approveActivationConsent', (args: ProviderArgs = {}) =>
    one(
      'approve activation consent',
      (g, a) => g.statement('consumer.approve_provider_activation_consent', { cleanroom: a.cleanroom, template: a.template! }),
      args,
      ['template'],
    ),
  );
}
