/** The status bar item that mirrors the server's `cleanRoomTemplates/status`. */
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/shared/customMessages.js';

const LANGUAGES = new Set(['jinjasql', 'sql', 'yaml']);

export class ServerStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(showOutputCommand: string) {
    this.item = vscode.window.createStatusBarItem('cleanRoomTemplates.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Clean Room Templates';
    this.item.command = showOutputCommand;
    this.starting();
    this.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(() => this.updateVisibility()));
    this.updateVisibility();
  }

  starting(): void {
    this.render('$(sync~spin) Clean Room', 'Clean Room Templates: starting the language server');
  }

  update(status: StatusParams): void {
    switch (status.state) {
      case 'ready':
        this.render('$(check) Clean Room', 'Clean Room Templates: templates are checked as you type');
        break;
      case 'busy':
        this.render('$(sync~spin) Clean Room', 'Clean Room Templates: checking…');
        break;
      case 'degraded':
        this.render('$(warning) Clean Room', `Clean Room Templates: ${status.message ?? 'checking could not run fully'}`, true);
        break;
    }
  }

  failed(reason: string): void {
    this.render('$(error) Clean Room', `Clean Room Templates: the language server stopped (${reason}). Click for the output.`, true);
  }

  private render(text: string, tooltip: string, warn = false): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  /** Only where it means something: editors of the languages the server checks. */
  private updateVisibility(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && LANGUAGES.has(doc.languageId)) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
    this.subscriptions.forEach(s => s.dispose());
  }
}
