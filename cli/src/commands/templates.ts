/** `dcr templates list|show|args|offerings --cleanroom NAME`: what a clean room holds. */
import { EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { COMMON_HELP, COMMON_OPTIONS, commonFrom, oneOf, printResult, withSession } from '../snowflake.js';

const HELP = `Usage: dcr templates list --cleanroom NAME [options]
       dcr templates show TEMPLATE --cleanroom NAME [options]
       dcr templates args TEMPLATE --cleanroom NAME [options]
       dcr templates offerings --cleanroom NAME --api collaboration [options]

list: the templates in a clean room (view_added_templates) or collaboration (VIEW_TEMPLATES).
show: a template's definition (view_template_definition).
args: the arguments a template takes (consumer.get_arguments_from_template).
offerings: a collaboration's data offerings (VIEW_DATA_OFFERINGS).

Options:
  --cleanroom NAME            clean room or collaboration name (required)
  --role consumer|provider    which side you are (default: consumer)
  --api legacy|collaboration  API generation (default: legacy)
${COMMON_HELP}
`;

export const templatesCommand: Command = {
  name: 'templates',
  summary: 'list the templates of a clean room, show a definition or its arguments',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('templates', argv, { ...COMMON_OPTIONS, cleanroom: { type: 'string' }, role: { type: 'string' }, api: { type: 'string' } });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    const [action, name, ...extra] = parsed.positionals;
    const needsName = action === 'show' || action === 'args';
    if (!action || !['list', 'show', 'args', 'offerings'].includes(action))
      throw new UsageError("templates: expected list, show, args or offerings (see 'dcr templates --help')");
    if (extra.length || (needsName ? !name : name))
      throw new UsageError(needsName ? `templates ${action}: expected one TEMPLATE name` : `templates ${action}: takes no TEMPLATE`);
    if (!v.cleanroom) throw new UsageError(`templates ${action}: --cleanroom NAME is required`);
    const common = commonFrom('templates', v);
    const role = oneOf('templates', 'role', v.role, ['consumer', 'provider'] as const, 'consumer');
    const api = oneOf('templates', 'api', v.api, ['legacy', 'collaboration'] as const, action === 'offerings' ? 'collaboration' : 'legacy');
    if (api === 'collaboration' && needsName)
      throw new UsageError(`templates ${action}: legacy API only; with --api collaboration, 'templates list' shows each spec`);
    const cleanroom = v.cleanroom;
    return withSession(io, common, async (session, out, g) => {
      await g.ensureSessionSetup(session, api, { deadlineMs: common.deadlineMs });
      const s =
        action === 'list'
          ? g.viewTemplatesStatement(api, role, cleanroom)
          : action === 'show'
            ? g.templateDefinitionStatement(role, cleanroom, name!)
            : action === 'args'
              ? g.statement('consumer.get_arguments_from_template', { cleanroom, template: name! })
              : g.statement('collaboration.view_data_offerings', { collaboration: cleanroom });
      const r = await session.run(s, { deadlineMs: common.deadlineMs });
      if (action === 'show' && common.format === 'text') {
        const text = g.cellText(g.firstCell(r));
        out.stdout(text.endsWith('\n') ? text : text + '\n');
      } else printResult(out, g, common.format, r);
      return EXIT_OK;
    });
  },
};
