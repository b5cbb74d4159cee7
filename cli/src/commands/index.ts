/**
 * Every subcommand, in the order `dcr --help` lists them. A new command is one module in
 * this folder plus one entry here.
 */
import type { Command } from '../io.js';
import { checkCommand } from './check.js';
import { renderCommand } from './render.js';

export const COMMANDS: readonly Command[] = [checkCommand, renderCommand];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find(c => c.name === name);
}
