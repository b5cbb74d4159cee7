/** `dcr multiprovider requests|process`: the provider's side of multi-provider analyses. */
import { EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { COMMON_HELP, COMMON_OPTIONS, commonFrom, printResult, withSession } from '../snowflake.js';

const HELP = `Usage: dcr multiprovider requests --cleanroom NAME --consumer LOCATOR [options]
       dcr multiprovider process --cleanroom NAME --consumer LOCATOR [--request ID] [options]

requests: the multi-provider analysis requests a consumer raised (view_multiprovider_requests).
process:  runs the provider's checks on one request, or on all with --request -1 (the default)
          (process_multiprovider_request).

Options:
  --cleanroom NAME            clean room name (required)
  --consumer LOCATOR          the consumer's account locator (required)
  --request ID                process: the request ID (default: -1, every waiting request)
${COMMON_HELP}
`;

export const multiproviderCommand: Command = {
  name: 'multiprovider',
  summary: 'provider: view and process multi-provider analysis requests',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('multiprovider', argv, { ...COMMON_OPTIONS, cleanroom: { type: 'string' }, consumer: { type: 'string' }, request: { type: 'string' } });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    const [action, ...extra] = parsed.positionals;
    if ((action !== 'requests' && action !== 'process') || extra.length) throw new UsageError("multiprovider: expected requests or process (see 'dcr multiprovider --help')");
    if (!v.cleanroom || !v.consumer) throw new UsageError(`multiprovider ${action}: --cleanroom NAME and --consumer LOCATOR are required`);
    const common = commonFrom('multiprovider', v);
    const { cleanroom, consumer } = v;
    return withSession(io, common, async (session, out, g) => {
      const s =
        action === 'requests'
          ? g.statement('provider.view_multiprovider_requests', { cleanroom, consumer })
          : g.statement('provider.process_multiprovider_request', { cleanroom, consumer, requestId: v.request ?? '-1' });
      printResult(out, g, common.format, await session.run(s, { deadlineMs: common.deadlineMs }));
      return EXIT_OK;
    });
  },
};
