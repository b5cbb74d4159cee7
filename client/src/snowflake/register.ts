/**
 * Clean room commands that talk to Snowflake (consumer, provider and Collaboration API), for
 * the command palette: one module per group in ./commands. Everything goes through the
 * gateway; this folder is UI only.
 */
import type * as vscode from 'vscode';
import { SnowflakeConnection, type Log } from './connection.js';
import { CommandContext, type SnowflakeCommandsApi } from './context.js';
import { SnowflakeDocuments } from './documents.js';
import type { DocumentTemplatesResult } from '../../../server/src/shared/customMessages.js';
import { registerAnalysisCommands } from './commands/analysis.js';
import { registerConnectionCommands } from './commands/connection.js';
import { registerMultiproviderCommands } from './commands/multiprovider.js';
import { registerPolicyCommands } from './commands/policies.js';
import { registerRequestCommands } from './commands/requests.js';
import { registerSubmitCommand } from './commands/submit.js';
import { registerTemplateCommands } from './commands/templates.js';

export type { SnowflakeCommandsApi } from './context.js';
export type { SubmitArgs } from './commands/submit.js';

export function registerSnowflakeCommands(
  context: vscode.ExtensionContext,
  log: Log,
  documentTemplates: (uri: string) => Promise<DocumentTemplatesResult>,
): SnowflakeCommandsApi {
  const conn = new SnowflakeConnection(context, log);
  const docs = new SnowflakeDocuments();
  const api: SnowflakeCommandsApi = { connectionStatus: () => conn.statusText };
  context.subscriptions.push(conn, docs);
  const c = new CommandContext(context, conn, docs, api, documentTemplates);
  registerConnectionCommands(c);
  registerSubmitCommand(c);
  registerRequestCommands(c);
  registerTemplateCommands(c);
  registerAnalysisCommands(c);
  registerMultiproviderCommands(c);
  registerPolicyCommands(c);
  return api;
}
