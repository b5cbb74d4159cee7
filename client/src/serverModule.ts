/** Which server bundle to run: the shipped one, or a development build the user points at. */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';

export function serverModulePath(context: vscode.ExtensionContext, log: (msg: string) => void): string {
  const bundled = context.asAbsolutePath('dist/server.js');
  const custom = vscode.workspace.getConfiguration('cleanRoomTemplates').get<string>('server.path', '').trim();
  if (!custom) return bundled;
  // Running a path from settings executes code: never in Restricted Mode.
  if (!vscode.workspace.isTrusted) {
    log(`ignoring cleanRoomTemplates.server.path in Restricted Mode; using ${bundled}`);
    return bundled;
  }
  if (!isAbsolute(custom) || !existsSync(custom)) {
    log(`cleanRoomTemplates.server.path "${custom}" is not an existing absolute path; using ${bundled}`);
    return bundled;
  }
  return custom;
}
