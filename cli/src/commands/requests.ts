/** `dcr requests list|show|approve|reject`: template requests on either side, both APIs. */
import { analyzeDocument, parseDocument } from '../../../core/src/index.js';
import { EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { toCliDiagnostic } from '../report/model.js';
import { COMMON_HELP, COMMON_OPTIONS, commonFrom, oneOf, withSession } from '../snowflake.js';

const HELP = `Usage: dcr requests list --cleanroom NAME [options]
       dcr requests show ID --cleanroom NAME [options]
       dcr requests approve ID --cleanroom NAME [options]
       dcr requests reject ID --cleanroom NAME --reason TEXT [options]

Template requests. A consumer lists its requests with their status and rejection reason;
a provider lists incoming requests, shows one (its definition, checked like any template),
and approves or rejects it. With --api collaboration these are the collaboration's update
requests (VIEW_UPDATE_REQUESTS, APPROVE_/REJECT_UPDATE_REQUEST).

Options:
  --cleanroom NAME            clean room (legacy) or collaboration name (required)
  --role consumer|provider    which side you are (default: provider for show, approve and
                              reject; consumer for list)
  --api legacy|collaboration  API generation (default: legacy)
  --pending                   list: only requests still waiting for a decision
  --reason TEXT               reject: the reason the requester will see
${COMMON_HELP}

Exit codes: 0 done, 1 a failed Snowflake call (or, for show, error findings), 2 usage.
`;

export const requestsCommand: Command = {
  name: 'requests',
  summary: 'list, show, approve or reject template requests',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('requests', argv, { ...COMMON_OPTIONS, cleanroom: { type: 'string' }, role: { type: 'string' }, api: { type: 'string' }, pending: { type: 'boolean' }, reason: { type: 'string' } });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    const [action, id, ...extra] = parsed.positionals;
    if (!action || !['list', 'show', 'approve', 'reject'].includes(action)) throw new UsageError("requests: expected list, show, approve or reject (see 'dcr requests --help')");
    if (action === 'list' ? id !== undefined : id === undefined || extra.length) throw new UsageError(action === 'list' ? 'requests list: takes no ID' : `requests ${action}: expected exactly one request ID`);
    if (!v.cleanroom) throw new UsageError(`requests ${action}: --cleanroom NAME is required`);
    if (action === 'reject' && v.reason === undefined) throw new UsageError('requests reject: --reason TEXT is required');
    const common = commonFrom('requests', v);
    const role = oneOf('requests', 'role', v.role, ['consumer', 'provider'] as const, action === 'list' ? 'consumer' : 'provider');
    const api = oneOf('requests', 'api', v.api, ['legacy', 'collaboration'] as const, 'legacy');
    const cleanroom = v.cleanroom;

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
              rows: list.map(r => ({ ID: r.id, TEMPLATE: r.templateName ?? '', STATUS: r.status ?? 'PENDING', PROVIDER: r.party ?? '', FROM: r.party ?? '', REASON: r.reason ?? '' })),
            }),
          );
        }
        return EXIT_OK;
      }
      if (action === 'show') {
        const r = await g.findRequest(session, { api, role, cleanroom, id: id! }, opts);
        const text = r.definition ?? '';
        const model = parseDocument({ text, path: `${r.templateName ?? 'request'}.jinjasql`, languageId: 'jinjasql' });
        const findings = analyzeDocument(model, { api });
        if (common.format === 'json') {
          out.stdout(JSON.stringify({ version: 1, request: { ...r, raw: undefined }, diagnostics: findings.map(f => toCliDiagnostic(f, model.lines)) }, null, 2) + '\n');
        } else {
          out.stdout(text.endsWith('\n') ? text : text + '\n');
          for (const f of findings) {
            const d = toCliDiagnostic(f, model.lines);
            out.stderr(`request ${r.id}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}\n`);
          }
        }
        return findings.some(f => f.severity === 'error') ? 1 : EXIT_OK;
      }
      const step = await g.decide(session, { api, cleanroom, id: id!, reason: v.reason }, action === 'approve', opts);
      if (common.format === 'json') out.stdout(JSON.stringify({ version: 1, id: step.statement.id, result: g.firstCell(step.result) ?? null, queryId: step.result.queryId ?? null }, null, 2) + '\n');
      else out.stdout(`${action === 'approve' ? 'approved' : 'rejected'} ${id}: ${g.cellText(g.firstCell(step.result)) || 'done'}\n`);
      return EXIT_OK;
    });
  },
};
