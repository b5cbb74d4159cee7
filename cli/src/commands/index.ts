/**
 * Every subcommand, in the order `dcr --help` lists them. A new command is one module in
 * this folder plus one entry here.
 */
import type { Command } from '../io.js';
import { checkCommand } from './check.js';
import { renderCommand } from './render.js';
import { submitCommand } from './submit.js';
import { requestsCommand } from './requests.js';
import { policiesCommand } from './policies.js';
import { runCommand } from './run.js';
import { templatesCommand } from './templates.js';
import { multiproviderCommand } from './multiprovider.js';
import { connectionCommand } from './connection.js';
import { setupCommand } from './setup.js';
import { migrateCommand } from './migrate.js';

export const COMMANDS: readonly Command[] = [
  checkCommand,
  renderCommand,
  submitCommand,
  requestsCommand,
  policiesCommand,
  runCommand,
  setupCommand,
  templatesCommand,
  multiproviderCommand,
  migrateCommand,
  connectionCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find(c => c.name === name);
}
