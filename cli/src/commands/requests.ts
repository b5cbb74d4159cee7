/** `dcr requests list|show|approve|reject`: template requests on either side, both APIs. */
import { EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { checkText, errorsIn, gate, printDryRun, printFindings } from '../preflight.js';
import { COMMON_HELP, COMMON_OPTIONS, commonFrom, gateway, oneOf, withSession } from '../snowflake.js';

const HELP = `Usage: dcr requests list --cleanroom NAME [options]
       dcr requests show ID --cleanroom NAME [options]
       dcr requests approve ID --cleanroom NAME [options]
       dcr requests reject ID --cleanroom NAME --reason TEXT [options]

Template requests. A consumer lists its requests with their status and rejection reason;
a provider lists incoming requests, shows one (its definition, checked like any template),
and approves or rejects it. Before approving, the request's template is checked as the editor
checks it; every finding is shown and error findings stop the approval unless --force.
With --api collaboration these are the collaboration's update requests (after USE SECONDARY
ROLES NONE: VIEW_UPDATE_REQUESTS, APPROVE_/REJECT_UPDATE_REQUEST).

Options:
  --cleanroom NAME            clean room (legacy) or collaboration name (required)
  --role consumer|provider    which side you are (default: provider for show, approve and
                              reject; consumer for list)
  --api legacy|collaboration  API generation (default: legacy)
  --pending                   list: only requests still waiting for a decision
  --reason TEXT               reject: the reason the requester will see
  --force                     approve: approve even with error findings
  --dry-run                   approve, reject: run the checks (approve reads the request to
                              check it) and print the statement; send no decision
${COMMON_HELP}

Exit codes: 0 done, 1 a failed Snowflake call or error findings (show, approve, and a dry run
that would be stopped), 2 usage.
`;

export const requestsCommand: Command = {
  name: 'requests',
  summary: 'list, show, approve or reject template requests',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('requests', argv, {
      ...COMMON_OPTIONS,
      cleanroom: { type: 'string' },
      role: { type: 'string' },
      api: { type: 'string' },
      pending: { type: 'boolean' },
      reason: { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    const [action, id, ...extra] = parsed.positionals;
    if (!action || !['list', 'show', 'approve', 'reject'].includes(action))
      throw new UsageError("requests: expected list, show, approve or reject (see 'dcr requests --help')");
    if (action === 'list' ? id !== undefined : id === undefined || extra.length)
      throw new UsageError(action === 'list' ? 'requests list: takes no ID' : `requests ${action}: expected exactly one request ID`);
    if (!v.cleanroom) throw new UsageError(`requests ${action}: --cleanroom NAME is required`);
    if (action === 'reject' && v.reason === undefined) throw new UsageError('requests reject: --reason TEXT is required');
    const common = commonFrom('requests', v);
    const role = oneOf('requests', 'role', v.role, ['consumer', 'provider'] as const, action === 'list' ? 'consumer' : 'provider');
    const api = oneOf('requests', 'api', v.api, ['legacy', 'collaboration'] as const, 'legacy');
    const cleanroom = v.cleanroom;
    if (action === 'reject' && v['dry-run']) {
      const g = await gateway();
      return printDryRun(io, common, g, g.decisionPlan({ api, cleanroom, id: id!, reason: v.reason }, false), []);
    }

    return withSession(io, common, async (session, out, g) => {
      const opts = { deadlineMs: common.deadlineMs };
      if (action === 'list') {
        const list = await g.listRequests(session, { api, role, cleanroom, pendingOnly: v.pending }, opts);
        if (common.format === 'json') {
          out.stdout(JSON.stringify({ version: 1, requests: list.map(({ raw: _raw, ...r }) => r) }, null, 2) + '\n');
        } else {
          out.stdout(
            g.formatTable({
              columns: ['ID', 'TEMPLATE', 'STATUS', role === 'consumer' ? 'PROVIDER' : 'FROM', 'REASON'],
              rows: list.map(r => ({
                ID: r.id,
                TEMPLATE: r.templateName ?? '',
                STATUS: r.status ?? 'PENDING',
                PROVIDER: r.party ?? '',
                FROM: r.party ?? '',
                REASON: r.reason ?? '',
              })),
            }),
          );
        }
        return EXIT_OK;
      }
      if (action === 'show') {
        const r = await g.findRequest(session, { api, role, cleanroom, id: id! }, opts);
        const text = r.definition ?? '';
        const findings = checkText({ text, path: `${r.templateName ?? 'request'}.jinjasql`, shown: `request ${r.id}`, api, languageId: 'jinjasql' });
        if (common.format === 'json') {
          out.stdout(JSON.stringify({ version: 1, request: { ...r, raw: undefined }, diagnostics: findings.map(({ path: _p, ...d }) => d) }, null, 2) + '\n');
        } else {
          out.stdout(text.endsWith('\n') ? text : text + '\n');
          printFindings(out, findings);
        }
        return errorsIn(findings) ? 1 : EXIT_OK;
      }
      if (action === 'approve') {
        // The provider approves what it has read: the request's own template, checked.
        const listed = g.listRequestsStatement({ api, role: 'provider', cleanroom });
        const r = await g.findRequest(session, { api, role: 'provider', cleanroom, id: id! }, opts);
        const findings =
          r.definition === undefined
            ? []
            : checkText({ text: r.definition, path: `${r.templateName ?? 'request'}.jinjasql`, shown: `request ${r.id}`, api, languageId: 'jinjasql' });
        if (r.definition === undefined) out.stderr(`dcr: requests approve: request ${r.id} carries no template text to check\n`);
        if (v['dry-run'])
          return printDryRun(io, common, g, g.decisionPlan({ api, cleanroom, id: id! }, true), findings, {
            force: v.force,
            reads: [...g.sessionSetup(api), listed],
          });
        const stop = gate(out, `requests approve ${r.id}`, findings, v.force);
        if (stop !== undefined) return stop;
      }
      const step = await g.decide(session, { api, cleanroom, id: id!, reason: v.reason }, action === 'approve', opts);
      if (common.format === 'json')
        out.stdout(
          JSON.stringify({ version: 1, id: step.statement.id, result: g.firstCell(step.result) ?? null, queryId: step.result.queryId ?? null }, null, 2) + '\n',
        );
      else out.stdout(`${action === 'approve' ? 'approved' : 'rejected'} ${id}: ${g.cellText(g.firstCell(step.result)) || 'done'}\n`);
      return EXIT_OK;
    });
  },
};
