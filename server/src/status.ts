/**
 * Derives the one status the client shows from what the server knows, and tells the client
 * only when it changes (not on every keystroke).
 */
import type { Connection } from 'vscode-languageserver';
import { StatusNotification, type StatusParams } from './shared/customMessages.js';

export const UNTRUSTED_MESSAGE = 'Restricted Mode: templates are parsed, not rendered';

export class StatusReporter {
  private trusted = true;
  private readonly busy = new Set<string>();
  private readonly failed = new Map<string, string>();
  private last: StatusParams | undefined;

  constructor(private readonly connection: Connection) {}

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.publish();
  }

  setBusy(uri: string, busy: boolean): void {
    if (busy) this.busy.add(uri);
    else this.busy.delete(uri);
    this.publish();
  }

  setFailed(uri: string, reason: string | undefined): void {
    if (reason) this.failed.set(uri, reason);
    else this.failed.delete(uri);
    this.publish();
  }

  forget(uri: string): void {
    this.busy.delete(uri);
    this.failed.delete(uri);
    this.publish();
  }

  current(): StatusParams {
    if (this.busy.size > 0) return { state: 'busy' };
    const failure = this.failed.values().next();
    if (!failure.done) return { state: 'degraded', message: failure.value };
    if (!this.trusted) return { state: 'degraded', message: UNTRUSTED_MESSAGE };
    return { state: 'ready' };
  }

  publish(): void {
    const next = this.current();
    if (this.last && this.last.state === next.state && this.last.message === next.message) return;
    this.last = next;
    void this.connection.sendNotification(StatusNotification, next).catch(() => undefined);
  }
}
