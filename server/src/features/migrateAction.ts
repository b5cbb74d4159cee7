/**
 * "Migrate to Collaboration API spec": a refactor action on a legacy template file or on a
 * worksheet's template call. The server computes the spec (core's one-template migration)
 * and returns a workspace edit that creates `<name>.spec.yaml` beside the document; when the
 * client has said it can, the action also runs the client's command that opens the new file
 * beside the template.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver';
import type { DocumentModel } from '../../../core/src/index.js';
import { migrateTemplateText, specWithNotes } from '../../../core/src/index.js';

export const MIGRATE_TITLE = 'Migrate to Collaboration API spec';

export interface MigrateActionOptions {
  /** The client applies workspace edits that create files. */
  canCreateFiles: boolean;
  /** The client asks for an action's edit only when the action is chosen (codeAction/resolve). */
  canResolveEdit?: boolean;
  /** A client command that opens a URI beside the current editor, when the client has one. */
  openCommand?: string;
}

/** What an unresolved action carries back to `codeAction/resolve`. */
interface MigrateData {
  migrate: { uri: string; offset: number; version: number };
}

function wanted(only: readonly string[] | undefined): boolean {
  if (!only) return true;
  return only.some(
    k => k === '' || k === CodeActionKind.Refactor || k === CodeActionKind.RefactorRewrite || CodeActionKind.RefactorRewrite.startsWith(`${k}.`),
  );
}

/**
 * The action, when the cursor is in a legacy template. The migration itself renders the
 * template several times, and editors ask for code actions on every cursor move, so a
 * client that can resolve gets the edit only when the action is chosen.
 */
export function migrateActions(model: DocumentModel, params: CodeActionParams, options: MigrateActionOptions, version: number): CodeAction[] {
  if (!options.canCreateFiles || !wanted(params.context.only)) return [];
  const at = model.lines.offsetAt(params.range.start);
  if (!regionAt(model, params.textDocument.uri, at)) return [];
  if (options.canResolveEdit) {
    const data: MigrateData = { migrate: { uri: params.textDocument.uri, offset: at, version } };
    return [{ title: MIGRATE_TITLE, kind: CodeActionKind.RefactorRewrite, data }];
  }
  const action = migrateAction(model, params.textDocument.uri, at, options);
  return action ? [action] : [];
}

/** The edit (and command) of an action returned unresolved; null when the document moved on. */
export function resolveMigrateAction(
  action: CodeAction,
  current: (uri: string) => { model: DocumentModel; version: number } | undefined,
  options: MigrateActionOptions,
): CodeAction | null {
  const data = (action.data as Partial<MigrateData> | undefined)?.migrate;
  if (!data || typeof data.uri !== 'string' || typeof data.offset !== 'number') return null;
  const doc = current(data.uri);
  if (!doc || doc.version !== data.version) return null;
  return migrateAction(doc.model, data.uri, data.offset, options);
}

function regionAt(model: DocumentModel, uri: string, at: number): DocumentModel['templates'][number] | undefined {
  if (model.kind !== 'template' && model.kind !== 'worksheet') return undefined;
  // A sibling file needs a folder: untitled documents have none.
  if (!/^[a-z][a-z0-9+.-]*:\/\/?[^?#]*\/[^/?#]+$/i.test(uri) || uri.startsWith('untitled:')) return undefined;
  // In a worksheet: the template call the cursor is in, from the line of the procedure's
  // name to the end of the template text.
  const callStart = (t: { region: { hostSpan: { start: number } } }) => {
    const lower = model.text.slice(0, t.region.hostSpan.start).toLowerCase();
    const name = Math.max(lower.lastIndexOf('create_template_request'), lower.lastIndexOf('add_custom_sql_template'));
    return name < 0 ? t.region.hostSpan.start : lower.lastIndexOf('\n', name) + 1;
  };
  return model.kind === 'template' ? model.templates[0] : model.templates.find(t => callStart(t) <= at && at <= t.region.hostSpan.end + 2);
}

function migrateAction(model: DocumentModel, uri: string, at: number, options: MigrateActionOptions): CodeAction | null {
  const region = regionAt(model, uri, at);
  if (!region) return null;
  const base = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)).replace(/(\.jinjasql|\.jinja\.sql|\.sql\.j2|\.sql\.jinja|\.sql)$/i, '');
  const legacyName = region.region.meta.templateName ?? base;
  const m = migrateTemplateText(region.region.text, legacyName);
  if (!m.spec) return null;
  const specUri = `${uri.slice(0, uri.lastIndexOf('/') + 1)}${encodeURIComponent(m.name)}.spec.yaml`;
  const zero = { line: 0, character: 0 };
  return {
    title: MIGRATE_TITLE,
    kind: CodeActionKind.RefactorRewrite,
    edit: {
      documentChanges: [
        { kind: 'create', uri: specUri, options: { overwrite: true } },
        { textDocument: { uri: specUri, version: null }, edits: [{ range: { start: zero, end: zero }, newText: specWithNotes(m, legacyName) }] },
      ],
    },
    ...(options.openCommand ? { command: { title: 'Open the migrated spec', command: options.openCommand, arguments: [specUri] } } : {}),
  };
}
