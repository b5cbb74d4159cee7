/** `dcr connection list|test`: which Snowflake connections exist, and whether one works. */
import { EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { COMMON_HELP, COMMON_OPTIONS, commonFrom, gateway, Out, reportError, withSession } from '../snowflake.js';

const HELP = `Usage: dcr connection list
       dcr connection test [--connection NAME]

list: connections from $SNOWFLAKE_HOME (or ~/.snowflake) connections.toml, config.toml
      [connections.*] blocks and SNOWFLAKE_CONNECTIONS_<NAME>_ACCOUNT variables; the default
      is marked.
test: logs in and shows the account, user, role and warehouse the session got.

Options:
${COMMON_HELP}
`;

export const connectionCommand: Command = {
  name: 'connection',
  summary: 'list Snowflake connections or test one',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('connection', argv, { ...COMMON_OPTIONS });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    const [action, ...extra] = parsed.positionals;
    if ((action !== 'list' && action !== 'test') || extra.length) throw new UsageError("connection: expected list or test (see 'dcr connection --help')");
    const common = commonFrom('connection', v);
    if (action === 'list') {
      const g = await gateway();
      try {
        const { names, defaultName } = g.listConnectionNames({ env: io.env });
        if (common.format === 'json') io.stdout(JSON.stringify({ version: 1, default: defaultName, connections: names }, null, 2) + '\n');
        else
          io.stdout(
            names.length ? names.map(n => `${n === defaultName ? '*' : ' '} ${n}`).join('\n') + '\n' : `no connections in ${g.snowflakeDir({ env: io.env })}\n`,
          );
        return EXIT_OK;
      } catch (err) {
        return reportError(err, new Out(io, g), g);
      }
    }
    return withSession(io, common, async (session, out, g) => {
      const r = await session.run(g.statement('session.whoami', {}), { deadlineMs: common.deadlineMs });
      const row = r.rows[0] ?? {};
      const info = {
        connection: session.settings.name,
        authenticator: session.settings.authenticator,
        account: row.ACCOUNT ?? null,
        user: row.USER ?? null,
        role: row.ROLE ?? null,
        warehouse: row.WAREHOUSE ?? null,
        snowflakeVersion: row.VERSION ?? null,
      };
      if (common.format === 'json') out.stdout(JSON.stringify({ version: 1, ok: true, ...info }, null, 2) + '\n');
      else
        out.stdout(
          `connection '${info.connection}' works: account ${info.account}, user ${info.user}, role ${info.role ?? '(none)'}, warehouse ${info.warehouse ?? '(none)'} (${info.authenticator})\n`,
        );
      return EXIT_OK;
    });
  },
};
