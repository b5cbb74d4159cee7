/** What a clean room or collaboration holds: templates, definitions, arguments, data offerings. */
import type { CommandContext } from '../context.js';

export function registerTemplateCommands(c: CommandContext): void {
  c.register('viewTemplates', async () => {
    const apiGen = await c.apiSetting();
    const cleanroom = await c.askCleanroom(undefined, apiGen === 'collaboration');
    if (!cleanroom) return;
    await c.conn.run(`templates in '${cleanroom}'`, async (session, g, call) => {
      await g.ensureSessionSetup(session, apiGen, call);
      return c.showRows(`templates in ${cleanroom}`, g, await session.run(g.viewTemplatesStatement(apiGen, c.side(), cleanroom), call));
    });
  });

  c.register('viewTemplateDefinition', async () => {
    const cleanroom = await c.askCleanroom();
    const template = cleanroom && (await c.ask('Template name'));
    if (!cleanroom || !template) return;
    await c.conn.run(`definition of '${template}'`, async (session, g, call) => {
      const r = await session.run(g.templateDefinitionStatement(c.side(), cleanroom, template), call);
      await c.docs.open(`${template} (${cleanroom}).jinjasql`, g.cellText(g.firstCell(r)));
    });
  });

  c.register('getTemplateArguments', async () => {
    const cleanroom = await c.askCleanroom();
    const template = cleanroom && (await c.ask('Template name'));
    if (!cleanroom || !template) return;
    await c.conn.run(`arguments of '${template}'`, async (session, g, call) =>
      c.showRows(`arguments of ${template}`, g, await session.run(g.statement('consumer.get_arguments_from_template', { cleanroom, template }), call)),
    );
  });

  c.register('viewDataOfferings', async () => {
    const collaboration = await c.askCleanroom(undefined, true);
    if (!collaboration) return;
    await c.conn.run(`data offerings of '${collaboration}'`, async (session, g, call) => {
      await g.ensureSessionSetup(session, 'collaboration', call);
      return c.showRows(`data offerings in ${collaboration}`, g, await session.run(g.statement('collaboration.view_data_offerings', { collaboration }), call));
    });
  });
}
