/**
 * Push diagnostics, one pending job per document. A newer version cancels the pending job
 * for that URI; results are published only if the document is still at the analysed
 * version right before sending (so a slow analysis can never overwrite newer results).
 *
 * A rendered template is published twice per version: the quick pass right after the edit
 * (with what only the complete pass knows carried over from the last complete pass, moved
 * with the edit: analysis/carry.ts), then the complete pass, followed by `analysisDone`.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseProfile } from '../../core/src/index.js';
import type { Analyzer } from './analysis/analyzer.js';
import { onlyComplete, withCarried, type Carried } from './analysis/carry.js';
import { AnalysisDoneNotification, type AnalysisDoneParams } from './shared/customMessages.js';
import { LineIndex, type Finding } from '../../core/src/index.js';
import { analysisTemplateTexts, isProfileUri, type ProfileStore } from './profile/store.js';
import { toDiagnostic } from './diagnostics.js';
import { errorText, SLOW_MS, type Logger } from './runner.js';
import type { SettingsStore } from './settings.js';
import type { StatusReporter } from './status.js';

interface Job {
  version: number;
  cancelled: boolean;
  timer?: NodeJS.Timeout;
}

export interface ValidatorDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  settings: SettingsStore;
  status: StatusReporter;
  logger: Logger;
  /** Read at analysis time so a trust change applies to the next run. */
  isTrusted: () => boolean;
  /** Profiles (cleanrooms.json): their analyses add DCR3xx checks; a profile itself gets DCR301/307/308. */
  profiles?: ProfileStore;
  /** Runs the analyses off the main thread when it can. */
  analyzer: Analyzer;
}

export class Validator {
  private readonly pending = new Map<string, Job>();
  /** Per document: the last complete pass's findings its quick pass did not have. */
  private readonly carried = new Map<string, Carried>();

  constructor(private readonly deps: ValidatorDeps) {}

  /** Schedules a check of the document's current version after the resource's debounce. */
  schedule(document: TextDocument): void {
    const uri = document.uri;
    this.cancel(uri);
    const job: Job = { version: document.version, cancelled: false };
    this.pending.set(uri, job);
    this.deps.status.setBusy(uri, true);
    this.deps.settings.get(uri).then(
      settings => {
        if (job.cancelled) return;
        job.timer = setTimeout(() => this.run(uri, job), settings.debounceMs);
      },
      err => this.finish(uri, job, `settings failed: ${errorText(err)}`),
    );
  }

  /** Re-checks every open document (settings or trust changed). */
  scheduleAll(): void {
    for (const document of this.deps.documents.all()) this.schedule(document);
  }

  /** Document closed: drop pending work and clear what the editor shows. */
  close(uri: string): void {
    this.cancel(uri);
    this.carried.delete(uri);
    this.deps.status.forget(uri);
    void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  dispose(): void {
    for (const uri of [...this.pending.keys()]) this.cancel(uri);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Documents whose complete-pass findings are kept for the next quick pass (for the server's stats). */
  get carriedCount(): number {
    return this.carried.size;
  }

  private cancel(uri: string): void {
    const job = this.pending.get(uri);
    if (!job) return;
    job.cancelled = true;
    if (job.timer) clearTimeout(job.timer);
    this.pending.delete(uri);
  }

  private isStale(uri: string, job: Job): boolean {
    return job.cancelled || this.deps.documents.get(uri)?.version !== job.version;
  }

  private async run(uri: string, job: Job): Promise<void> {
    const { documents, logger, connection } = this.deps;
    const document = documents.get(uri);
    if (!document || this.isStale(uri, job)) return this.finish(uri, job, undefined);
    let failure: string | undefined;
    try {
      const settings = await this.deps.settings.get(uri);
      if (this.isStale(uri, job)) return this.finish(uri, job, undefined);
      const profiles = this.deps.profiles;
      const asProfile = !!profiles && isProfileUri(uri);
      // File reads happen before the synchronous analysis, which must see one version.
      const found = profiles && !asProfile ? await profiles.forDocument(uri) : null;
      const templates = profiles && asProfile && this.deps.isTrusted() ? await analysisTemplateTexts(profiles, uri, parseProfile(document.getText())) : null;
      if (this.isStale(uri, job)) return this.finish(uri, job, undefined);
      const text = document.getText();
      // Positions need only the line starts: parsing the whole model here would keep the main
      // thread (hover, completion) busy for a long template.
      const lines = new LineIndex(text);
      const publish = (findings: readonly Finding[]) => {
        return connection.sendDiagnostics({ uri, version: job.version, diagnostics: findings.map(f => toDiagnostic(f, lines, uri)) });
      };
      let quick: Finding[] | null = null;
      const result = await this.deps.analyzer.analyze(
        {
          uri,
          version: job.version,
          text,
          languageId: document.languageId,
          api: settings.api,
          severities: settings.severities,
          allowRender: this.deps.isTrusted(),
          asProfile,
          ...(found ? { profile: { text: found.text, templatePath: found.templatePath } } : {}),
          ...(templates ? { profileTemplates: Object.fromEntries(templates) } : {}),
        },
        () => this.isStale(uri, job),
        findings => {
          if (this.isStale(uri, job)) return;
          quick = findings;
          void publish(withCarried(findings, this.carried.get(uri), text)).catch(err => logger.error(`publishing ${uri} failed: ${errorText(err)}`));
        },
      );
      if (!result) return this.finish(uri, job, undefined);
      if (result.ms > SLOW_MS) logger.log(`[slow] analyze ${uri}@${job.version} took ${Math.round(result.ms)} ms`);
      if (this.isStale(uri, job)) return this.finish(uri, job, undefined);
      if (quick) this.carried.set(uri, { text, findings: onlyComplete(result.findings, quick) });
      else this.carried.delete(uri);
      await publish(result.findings);
      const done: AnalysisDoneParams = { uri, version: job.version, ms: result.ms, ...(result.quickMs !== undefined ? { quickMs: result.quickMs } : {}) };
      void connection.sendNotification(AnalysisDoneNotification, done).catch(() => undefined);
    } catch (err) {
      failure = `Checking stopped on an internal error (see the output): ${err instanceof Error ? err.message : String(err)}`;
      logger.error(`analysis of ${uri} failed: ${errorText(err)}`);
    }
    this.finish(uri, job, failure);
  }

  private finish(uri: string, job: Job, failure: string | undefined): void {
    if (this.pending.get(uri) === job) {
      this.pending.delete(uri);
      this.deps.status.setFailed(uri, failure);
      this.deps.status.setBusy(uri, false);
    }
  }
}
