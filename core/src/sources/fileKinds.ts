/**
 * The one list of file kinds the product reads: template files, SQL worksheets with embedded
 * templates, and Collaboration template specs (YAML). Everything that decides by a file's
 * name (the engine, `dcr check`'s folder walk, the analyses' default template names, the
 * Snowflake commands) asks here.
 */

/** Extensions of template files, longest first so `.jinja.sql` wins over `.sql`. */
export const TEMPLATE_EXTENSIONS = ['.jinja.sql', '.sql.jinja', '.jinjasql', '.sql.j2'] as const;
export const WORKSHEET_EXTENSIONS = ['.sql'] as const;
export const SPEC_EXTENSIONS = ['.yaml', '.yml'] as const;

export type FileKind = 'template' | 'worksheet' | 'spec';

const endsWithAny = (name: string, exts: readonly string[]) => {
  const lower = name.toLowerCase();
  return exts.find(e => lower.endsWith(e));
};

/** The kind a file's name says, or null for a file the product does not read. */
export function fileKindOf(name: string): FileKind | null {
  if (endsWithAny(name, TEMPLATE_EXTENSIONS)) return 'template';
  if (endsWithAny(name, WORKSHEET_EXTENSIONS)) return 'worksheet';
  if (endsWithAny(name, SPEC_EXTENSIONS)) return 'spec';
  return null;
}

export function isTemplateFile(name: string): boolean {
  return fileKindOf(name) === 'template';
}

/** A template's default name: its file's base name without the extension of any kind above. */
export function templateBaseName(path: string): string {
  const base = path.replace(/\\/g, '/').split('/').pop() ?? path;
  const ext = endsWithAny(base, [...TEMPLATE_EXTENSIONS, ...WORKSHEET_EXTENSIONS, ...SPEC_EXTENSIONS]);
  return ext ? base.slice(0, base.length - ext.length) : base;
}
