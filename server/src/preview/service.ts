/**
 * "Preview Rendered SQL" over the connection: the preview request, the two navigation
 * requests, the templates-of-a-document request (CodeLens) and the debounced
 * `previewChanged` notification. Inputs are gathered asynchronously (profile, args file),
 * then the preview is built synchronously from the document's *current* version, so a
 * response is never older than the document the request was sent against.
 */
import { basename, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodeLensRefreshRequest, type CancellationToken, type CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Profile } from '../../../core/src/index.js';
import type { ServerDeps } from '../deps.js';
import { errorText } from '../runner.js';
import {
  PreviewChangedNotification,
  PreviewRangesAtRequest,
  PreviewRequest,
  PREVIEW_COMMAND,
  TemplateRangeAtRequest,
  type PreviewChangedParams,
  type PreviewOptions,
  type PreviewRangesAtParams,
  type PreviewRangesAtResult,
  type PreviewResult,
  type PreviewCommandArgs,
  type TemplateRangeAtParams,
  type TemplateRangeAtResult,
} from '../shared/preview.js';
import { analysesForTemplate, type Profile as CoreProfile } from '../../../core/src/index.js';
import type { Analyzer } from '../analysis/analyzer.js';
import type { PreviewJob, PreviewPayload } from '../analysis/request.js';
import { previewRangesAt, templateRangeAt } from './mapping.js';
import { ArgsFiles } from './argsFiles.js';

/** The profile store's surface the preview needs (server/src/profile's ProfileStore). */
export interface ProfileSource {
  forDocument(uri: string): Promise<{ profile: Profile; text: string; profileUri: string; templatePath: string } | null>;
  onDidChange(listener: (...args: never[]) => void): unknown;
}

export interface PreviewDeps extends ServerDeps {
  /** Null until profiles are available: previews then use args files or sample values. */
  profiles: { store: ProfileSource } | null;
  /** The client can be asked to re-request CodeLenses (workspace/codeLens/refresh). */
  canRefreshCodeLens: () => boolean;
  /** Where previews are built: beside the analyses, whose renders they reuse. */
  analyzer: Pick<Analyzer, 'preview'>;
}

export interface PreviewService {
  /** Trust changed (or anything else that changes every preview): tell the client. */
  refreshAll(): void;
  dispose(): void;
  /** What it keeps, for the server's stats. */
  counts(): { previewed: number; shown: number; timers: number; watchers: number };
}

interface Cached {
  uri: string;
  payload: PreviewPayload;
}

export function registerPreview(deps: PreviewDeps): PreviewService {
  const { connection, documents, models, logger } = deps;
  /** Documents with a preview: only these get previewChanged on edits. */
  const previewed = new Set<string>();
  /** The last preview sent per document and options: what the client shows, for navigation. */
  const shown = new Map<string, Cached>();
  const timers = new Map<string, NodeJS.Timeout>();

  const optionsKey = (o: PreviewOptions) => JSON.stringify([o.uri, o.analysis ?? null, o.bindMode, o.cleanroom ?? null, o.template ?? 0]);

  const notify = (uri: string): void => {
    const pending = timers.get(uri);
    if (pending) clearTimeout(pending);
    // Same debounce as the diagnostics: the preview follows typing at the same pace.
    void deps.settings.get(uri).then(
      s => {
        const again = timers.get(uri);
        if (again) clearTimeout(again);
        timers.set(
          uri,
          setTimeout(() => {
            timers.delete(uri);
            void connection.sendNotification(PreviewChangedNotification, { uri } satisfies PreviewChangedParams).catch(() => undefined);
          }, s.debounceMs),
        );
      },
      err => logger.error(`preview settings for ${uri} failed: ${errorText(err)}`),
    );
  };

  const argsFiles = new ArgsFiles(uri => notify(uri));

  const profileFor = async (uri: string): Promise<{ profile: CoreProfile; text: string; label: string; templatePath: string } | null> => {
    if (!deps.profiles || !deps.isTrusted()) return null;
    try {
      const found = await deps.profiles.store.forDocument(uri);
      if (!found) return null;
      return { profile: found.profile, text: found.text, label: profileLabel(uri, found.profileUri), templatePath: found.templatePath };
    } catch (err) {
      logger.error(`profile lookup for ${uri} failed: ${errorText(err)}`);
      return null;
    }
  };

  /** Renders the current version; the document is read once the inputs are gathered. */
  const compute = async (options: PreviewOptions): Promise<PreviewPayload | null> => {
    const trusted = deps.isTrusted();
    const [profile, argsFile] = trusted ? await Promise.all([profileFor(options.uri), argsFiles.read(options.uri)]) : [null, null];
    const document = documents.get(options.uri);
    if (!document) return null;
    const path = argsFiles.pathOf(options.uri);
    const job: PreviewJob = {
      uri: options.uri,
      version: document.version,
      text: document.getText(),
      languageId: document.languageId,
      options,
      name: nameOf(options.uri),
      trusted,
      profile: profile ? { text: profile.text, label: profile.label, templatePath: profile.templatePath } : null,
      argsFile,
      suggestedArgsFile: path ? basename(path) : `${nameOf(options.uri)}.args.json`,
    };
    const payload = await deps.analyzer.preview(job);
    shown.set(optionsKey(options), { uri: options.uri, payload });
    return payload;
  };

  /** For navigation: the preview the client shows, if it is of the version it names. */
  const previewOf = async (options: PreviewOptions, version: number): Promise<{ result: PreviewResult; document: TextDocument } | null> => {
    const document = documents.get(options.uri);
    if (!document || document.version !== version) return null;
    const cached = shown.get(optionsKey(options));
    const payload = cached && cached.payload.lean.version === version ? cached.payload : await compute(options);
    const result = payload?.full();
    const now = documents.get(options.uri);
    if (!result || !now || now.version !== result.version || result.version !== version) return null;
    return { result, document: now };
  };

  const cleanOptions = (p: PreviewOptions): PreviewOptions => ({
    uri: String(p.uri),
    bindMode: p.bindMode === 'placeholders' ? 'placeholders' : 'inline',
    ...(typeof p.analysis === 'string' ? { analysis: p.analysis } : {}),
    ...(typeof p.cleanroom === 'string' ? { cleanroom: p.cleanroom } : {}),
    ...(typeof p.template === 'number' && Number.isInteger(p.template) && p.template >= 0 ? { template: p.template } : {}),
  });

  connection.onRequest(PreviewRequest, async (params: PreviewOptions, token: CancellationToken): Promise<PreviewResult | null> => {
    const options = cleanOptions(params);
    if (!previewed.has(options.uri)) {
      previewed.add(options.uri);
      argsFiles.watch(options.uri);
    }
    try {
      const payload = await compute(options);
      if (token.isCancellationRequested || !payload) return null;
      return params.segments === false ? payload.lean : payload.full();
    } catch (err) {
      logger.error(`preview of ${options.uri} failed: ${errorText(err)}`);
      throw err;
    }
  });

  connection.onRequest(TemplateRangeAtRequest, async (params: TemplateRangeAtParams): Promise<TemplateRangeAtResult | null> => {
    const found = await previewOf(cleanOptions(params), params.version);
    if (!found) return null;
    const hit = templateRangeAt(found.result, params.offset);
    if (!hit) return null;
    const lines = models.get(found.document).lines;
    const range = (s: { start: number; end: number }) => ({ start: lines.positionAt(s.start), end: lines.positionAt(s.end) });
    return { range: range(hit.source), via: hit.via.map(range) };
  });

  connection.onRequest(PreviewRangesAtRequest, async (params: PreviewRangesAtParams): Promise<PreviewRangesAtResult | null> => {
    const options = cleanOptions(params);
    const found = await previewOf(options, params.version);
    if (!found) return null;
    const model = models.get(found.document);
    const region = model.templates[options.template ?? 0];
    if (!region) return { ranges: [] };
    return { ranges: previewRangesAt(found.result, region, model.lines.offsetAt(params.position)) };
  });

  // "Preview SQL" above each template, and one lens per analysis of the profile that runs it.
  connection.onCodeLens(async (params): Promise<CodeLens[]> => {
    const uri = params.textDocument.uri;
    const profile = await profileFor(uri);
    const document = documents.get(uri);
    if (!document) return [];
    const model = models.get(document);
    const lenses: CodeLens[] = [];
    model.templates.forEach((t, index) => {
      const start = model.lines.positionAt(t.region.hostSpan.start);
      const range = { start, end: start };
      const base: PreviewCommandArgs = { uri, template: index };
      lenses.push({ range, command: { title: 'Preview SQL', command: PREVIEW_COMMAND, arguments: [base] } });
      if (!profile) return;
      try {
        for (const a of analysesForTemplate(profile.profile, profile.templatePath, t.region.meta.templateName)) {
          lenses.push({ range, command: { title: `▶ ${a.name}`, command: PREVIEW_COMMAND, arguments: [{ ...base, analysis: a.name }] } });
        }
      } catch (err) {
        logger.error(`analyses for ${uri} failed: ${errorText(err)}`);
      }
    });
    return lenses;
  });

  // Editors without a preview of their own (Neovim, …) run the lens through the server and get the result.
  connection.onExecuteCommand(async params => {
    if (params.command !== PREVIEW_COMMAND) return null;
    const arg = (params.arguments?.[0] ?? {}) as PreviewCommandArgs;
    if (typeof arg.uri !== 'string') return null;
    const payload = await compute({
      uri: arg.uri,
      bindMode: arg.bindMode ?? 'inline',
      template: arg.template ?? 0,
      ...(arg.analysis !== undefined ? { analysis: arg.analysis } : {}),
    });
    return payload?.full() ?? null;
  });

  const onChange = documents.onDidChangeContent(e => {
    if (previewed.has(e.document.uri)) notify(e.document.uri);
  });
  const onClose = documents.onDidClose(e => {
    const uri = e.document.uri;
    if (previewed.delete(uri)) argsFiles.unwatch(uri);
    for (const [k, v] of shown) if (v.uri === uri) shown.delete(k);
    const t = timers.get(uri);
    if (t) clearTimeout(t);
    timers.delete(uri);
  });
  // A profile change can change any template's analyses (and its CodeLens): tell every open one.
  const refreshAll = (): void => {
    for (const d of documents.all()) notify(d.uri);
    if (deps.canRefreshCodeLens())
      void connection.sendRequest(CodeLensRefreshRequest.type).catch(err => logger.error(`codeLens refresh failed: ${errorText(err)}`));
  };
  deps.profiles?.store.onDidChange(() => refreshAll());

  return {
    refreshAll,
    counts: () => ({ previewed: previewed.size, shown: shown.size, timers: timers.size, watchers: argsFiles.size }),
    dispose() {
      onChange.dispose();
      onClose.dispose();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      argsFiles.dispose();
    },
  };
}

function nameOf(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || uri;
}

/** The profile as the header names it: relative to the template's folder when both are files. */
function profileLabel(templateUri: string, profileUri: string): string {
  try {
    if (templateUri.startsWith('file:') && profileUri.startsWith('file:')) {
      return relative(dirname(fileURLToPath(templateUri)), fileURLToPath(profileUri)) || nameOf(profileUri);
    }
  } catch {
    // fall through to the bare name
  }
  return nameOf(profileUri);
}
