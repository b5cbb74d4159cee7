/**
 * "Preview Rendered SQL": a read-only virtual document beside the template, its commands, the
 * CodeLens above each template and the preview <-> template navigation. UI only: the server
 * renders and maps (server/src/preview); this file shows what it answers.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  PREVIEW_COMMAND,
  PreviewChangedNotification,
  PreviewRangesAtRequest,
  PreviewRequest,
  TemplateRangeAtRequest,
  type BindMode,
  type PreviewChangedParams,
  type PreviewCommandArgs,
  type PreviewOptions,
  type PreviewRangesAtParams,
  type PreviewRangesAtResult,
  type PreviewResult,
  type Range as WireRange,
  type TemplateRangeAtParams,
  type TemplateRangeAtResult,
} from '../../../server/src/shared/preview.js';

export const PREVIEW_SCHEME = 'cleanroom-preview';
const TOGGLE_BINDS_COMMAND = 'cleanRoomTemplates.previewToggleBinds';
const PICK_COMMAND = 'cleanRoomTemplates.previewPick';

/** What a preview shows; kept per preview document. */
interface PreviewState {
  previewUri: vscode.Uri;
  templateUri: string;
  template: number;
  bindMode: BindMode;
  analysis?: string;
  cleanroom?: string;
  /** The last result shown: navigation must refer to exactly this text. */
  shown?: PreviewResult;
}

/** Arguments of the preview command (CodeLens and tests pass them; menus pass a Uri). */

export function registerPreview(context: vscode.ExtensionContext, client: LanguageClient, whenReady: () => Promise<void>): void {
  new PreviewController(context, client, whenReady);
}

class PreviewController implements vscode.TextDocumentContentProvider {
  private readonly states = new Map<string, PreviewState>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** The template text that produced the selected preview text. */
  private readonly sourceDecoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    borderRadius: '2px',
  });
  /** The macro call sites on the way there. */
  private readonly viaDecoration = vscode.window.createTextEditorDecorationType({
    border: '1px dashed',
    borderColor: new vscode.ThemeColor('editorBracketMatch.border'),
  });
  /** The preview text the template selection produced. */
  private readonly producedDecoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    borderRadius: '2px',
  });
  /** Latest navigation request per direction: an older answer never overrides a newer one. */
  private navSeq = 0;

  constructor(
    context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private readonly whenReady: () => Promise<void>,
  ) {
    context.subscriptions.push(
      this.changed,
      this.sourceDecoration,
      this.viaDecoration,
      this.producedDecoration,
      vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this),
      vscode.commands.registerCommand(PREVIEW_COMMAND, (arg?: vscode.Uri | PreviewCommandArgs) => this.openPreview(arg)),
      vscode.commands.registerCommand(TOGGLE_BINDS_COMMAND, (arg?: vscode.Uri) => this.toggleBinds(arg)),
      vscode.commands.registerCommand(PICK_COMMAND, (arg?: vscode.Uri) => this.pick(arg)),
      client.onNotification(PreviewChangedNotification, (p: PreviewChangedParams) => this.templateChanged(p.uri)),
      // A restarted server has forgotten which documents are previewed: ask again.
      client.onDidChangeState(e => {
        if (e.newState === 2 /* State.Running */) for (const s of this.states.values()) this.changed.fire(s.previewUri);
      }),
      vscode.window.onDidChangeTextEditorSelection(e => this.selectionChanged(e)),
    );
  }

  // ------------------------------------------------------------------ content

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const state = this.stateOf(uri);
    if (!state) return '-- Not a clean room preview.\n';
    await this.whenReady();
    const template = await this.templateDocument(state.templateUri);
    // The request goes out after every pending edit of the template; a result of an older
    // version would only come from an edit still on its way: ask again rather than show it.
    for (let attempt = 0; ; attempt++) {
      const result = await this.client.sendRequest<PreviewResult | null>(PreviewRequest, this.options(state), token);
      if (token.isCancellationRequested) return state.shown?.text ?? '';
      if (!result) return `-- ${state.templateUri} is not open: open the template to preview it.\n`;
      if (template && result.version < template.version && attempt < 5) continue;
      state.shown = result;
      this.clearProduced(state);
      return result.text;
    }
  }

  private options(state: PreviewState): PreviewOptions {
    return {
      uri: state.templateUri,
      // Navigation asks the server, which keeps the source map: the document needs only the text.
      segments: false,
      bindMode: state.bindMode,
      template: state.template,
      ...(state.analysis !== undefined ? { analysis: state.analysis } : {}),
      ...(state.cleanroom !== undefined ? { cleanroom: state.cleanroom } : {}),
    };
  }

  private templateChanged(uri: string): void {
    for (const s of this.states.values()) if (s.templateUri === uri) this.changed.fire(s.previewUri);
  }

  /** The preview document of a template: `…/name.jinjasql.preview.sql` (languageId sql). */
  private previewUriFor(templateUri: vscode.Uri, template: number): vscode.Uri {
    const suffix = template ? `.${template + 1}` : '';
    return vscode.Uri.from({
      scheme: PREVIEW_SCHEME,
      path: `${templateUri.path}${suffix}.preview.sql`,
      query: JSON.stringify({ uri: templateUri.toString(), template }),
    });
  }

  private stateOf(previewUri: vscode.Uri): PreviewState | undefined {
    const key = previewUri.toString();
    let state = this.states.get(key);
    if (!state && previewUri.scheme === PREVIEW_SCHEME) {
      // A preview restored by VS Code (or opened by uri): rebuild its state from the query.
      try {
        const q = JSON.parse(previewUri.query) as { uri?: unknown; template?: unknown };
        if (typeof q.uri === 'string') {
          state = { previewUri, templateUri: q.uri, template: typeof q.template === 'number' ? q.template : 0, bindMode: 'inline' };
          this.states.set(key, state);
        }
      } catch {
        return undefined;
      }
    }
    return state;
  }

  private async templateDocument(uri: string): Promise<vscode.TextDocument | undefined> {
    const open = vscode.workspace.textDocuments.find(d => d.uri.toString() === uri);
    if (open) return open;
    try {
      // Opening it syncs it to the server, which renders only open documents.
      return await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    } catch {
      return undefined;
    }
  }

  // ------------------------------------------------------------------ commands

  private async openPreview(arg?: vscode.Uri | PreviewCommandArgs): Promise<string | undefined> {
    const target = this.resolveTarget(arg);
    if (!target) {
      void vscode.window.showInformationMessage('Open a clean room template to preview its rendered SQL.');
      return undefined;
    }
    const previewUri = this.previewUriFor(target.templateUri, target.template);
    const state = this.stateOf(previewUri)!;
    if (target.bindMode) state.bindMode = target.bindMode;
    if (target.analysis !== undefined) {
      state.analysis = target.analysis;
      state.cleanroom = undefined;
    } else if (state.analysis === undefined) {
      // Several analyses run this template: let the user say which (Escape keeps the first).
      const analyses = await this.analysesOf(target.templateUri.toString(), target.template);
      if (analyses.length > 1) {
        const picked = await vscode.window.showQuickPick(analyses, {
          title: 'Preview which analysis?',
          placeHolder: 'Analyses in cleanrooms.json that use this template',
        });
        if (picked) state.analysis = picked;
      }
    }
    const existing = vscode.workspace.textDocuments.find(d => d.uri.toString() === previewUri.toString());
    if (existing) this.changed.fire(previewUri);
    const doc = existing ?? (await vscode.workspace.openTextDocument(previewUri));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
    return previewUri.toString();
  }

  private resolveTarget(
    arg?: vscode.Uri | PreviewCommandArgs,
  ): { templateUri: vscode.Uri; template: number; analysis?: string; bindMode?: BindMode } | undefined {
    if (arg instanceof vscode.Uri) return this.targetOfUri(arg);
    if (arg && typeof arg === 'object' && typeof arg.uri === 'string') {
      return {
        templateUri: vscode.Uri.parse(arg.uri),
        template: arg.template ?? 0,
        ...(arg.analysis !== undefined ? { analysis: arg.analysis } : {}),
        ...(arg.bindMode ? { bindMode: arg.bindMode } : {}),
      };
    }
    const editor = vscode.window.activeTextEditor;
    return editor ? this.targetOfUri(editor.document.uri) : undefined;
  }

  private targetOfUri(uri: vscode.Uri): { templateUri: vscode.Uri; template: number } | undefined {
    if (uri.scheme === PREVIEW_SCHEME) {
      const s = this.stateOf(uri);
      return s ? { templateUri: vscode.Uri.parse(s.templateUri), template: s.template } : undefined;
    }
    // From a worksheet the first template is previewed; each template's CodeLens names its own.
    return { templateUri: uri, template: 0 };
  }

  private async analysesOf(uri: string, template: number): Promise<string[]> {
    await this.whenReady();
    const res = await this.client.sendRequest<PreviewResult | null>(PreviewRequest, { uri, template, bindMode: 'inline' } satisfies PreviewOptions);
    return res?.analyses ?? [];
  }

  /** The preview state for a command: the active preview, or the active template's preview. */
  private activeState(arg?: vscode.Uri): PreviewState | undefined {
    const uri = arg ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri) return undefined;
    if (uri.scheme === PREVIEW_SCHEME) return this.stateOf(uri);
    return [...this.states.values()].find(s => s.templateUri === uri.toString());
  }

  private toggleBinds(arg?: vscode.Uri): void {
    const state = this.activeState(arg);
    if (!state) {
      void vscode.window.showInformationMessage('Open a rendered SQL preview first (Clean Room: Preview Rendered SQL).');
      return;
    }
    state.bindMode = state.bindMode === 'inline' ? 'placeholders' : 'inline';
    this.changed.fire(state.previewUri);
  }

  private async pick(arg?: vscode.Uri): Promise<void> {
    const state = this.activeState(arg);
    if (!state) {
      void vscode.window.showInformationMessage('Open a rendered SQL preview first (Clean Room: Preview Rendered SQL).');
      return;
    }
    const analyses = state.shown?.analyses ?? (await this.analysesOf(state.templateUri, state.template));
    if (!analyses.length) {
      void vscode.window.showInformationMessage('No analysis in cleanrooms.json uses this template: the preview uses the args file or sample values.');
      return;
    }
    let analysis = state.shown?.analysis ?? analyses[0]!;
    if (analyses.length > 1) {
      const picked = await vscode.window.showQuickPick(
        analyses.map(a => ({ label: a, picked: a === analysis, description: a === analysis ? 'shown now' : '' })),
        { title: 'Preview which analysis?' },
      );
      if (!picked) return;
      analysis = picked.label;
    }
    state.analysis = analysis;
    state.cleanroom = undefined;
    if (analysis !== state.shown?.analysis) {
      this.changed.fire(state.previewUri);
      return;
    }
    const rooms = state.shown?.cleanrooms ?? [];
    if (rooms.length > 1) {
      const all = 'All renders (the cluster, then each clean room)';
      const picked = await vscode.window.showQuickPick([all, ...rooms], { title: `Which renders of "${analysis}"?` });
      if (!picked) return;
      state.cleanroom = picked === all ? undefined : picked;
    }
    this.changed.fire(state.previewUri);
  }

  // ------------------------------------------------------------------ navigation

  private selectionChanged(e: vscode.TextEditorSelectionChangeEvent): void {
    const doc = e.textEditor.document;
    if (doc.uri.scheme === PREVIEW_SCHEME) {
      // No loop: the preview side only ever gets decorations, never a selection, from us.
      const state = this.stateOf(doc.uri);
      if (state?.shown) void this.revealSource(state, state.shown, doc.offsetAt(e.selections[0]!.active)).catch(() => undefined);
      return;
    }
    const uri = doc.uri.toString();
    for (const state of this.states.values()) {
      if (state.templateUri === uri && state.shown && state.shown.version === doc.version) {
        void this.highlightProduced(state, state.shown, e.selections[0]!.active).catch(() => undefined);
      }
    }
  }

  private async revealSource(state: PreviewState, shown: PreviewResult, offset: number): Promise<void> {
    const seq = ++this.navSeq;
    const params: TemplateRangeAtParams = { ...this.options(state), version: shown.version, offset };
    const hit: TemplateRangeAtResult | null = await this.client.sendRequest<TemplateRangeAtResult | null>(TemplateRangeAtRequest, params);
    if (seq !== this.navSeq || state.shown !== shown) return;
    const editor = await this.templateEditor(state.templateUri);
    if (!editor) return;
    if (!hit) {
      editor.setDecorations(this.sourceDecoration, []);
      editor.setDecorations(this.viaDecoration, []);
      return;
    }
    const range = toRange(hit.range);
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    editor.setDecorations(this.sourceDecoration, [range]);
    editor.setDecorations(this.viaDecoration, hit.via.map(toRange));
  }

  private async templateEditor(uri: string): Promise<vscode.TextEditor | undefined> {
    const visible = vscode.window.visibleTextEditors.find(ed => ed.document.uri.toString() === uri);
    if (visible) return visible;
    const doc = await this.templateDocument(uri);
    return doc ? vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: true, preview: false }) : undefined;
  }

  private async highlightProduced(state: PreviewState, shown: PreviewResult, position: vscode.Position): Promise<void> {
    const seq = ++this.navSeq;
    const params: PreviewRangesAtParams = { ...this.options(state), version: shown.version, position: { line: position.line, character: position.character } };
    const res: PreviewRangesAtResult | null = await this.client.sendRequest<PreviewRangesAtResult | null>(PreviewRangesAtRequest, params);
    if (seq !== this.navSeq || state.shown !== shown) return;
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== state.previewUri.toString()) continue;
      const ranges = (res?.ranges ?? []).map(r => new vscode.Range(editor.document.positionAt(r.start), editor.document.positionAt(r.end)));
      editor.setDecorations(this.producedDecoration, ranges);
      if (ranges[0] && !editor.visibleRanges.some(v => v.intersection(ranges[0]!)))
        editor.revealRange(ranges[0], vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }

  /** New preview text: the old highlights would point at the wrong text. */
  private clearProduced(state: PreviewState): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === state.previewUri.toString()) editor.setDecorations(this.producedDecoration, []);
    }
  }
}

function toRange(r: WireRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
