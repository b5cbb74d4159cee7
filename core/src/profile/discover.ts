/**
 * Which `cleanrooms.json` governs a template: the nearest one walking up from the template's
 * folder. The one place that knows the file name and the walk; the CLI, the language server
 * and the Snowflake commands inject how to ask "is there a profile here?" (disk, open editor
 * buffers), so core touches no file system.
 */

export const PROFILE_FILE_NAME = 'cleanrooms.json';

/** True for a path or URI naming a profile file (any folder, either separator, any case). */
export function isProfilePath(pathOrUri: string): boolean {
  return /(^|[/\\])cleanrooms\.json$/i.test(pathOrUri.split(/[?#]/)[0]!);
}

/** The separator a path is written with: `\` for a Windows path that has no `/`. */
const separatorOf = (path: string): string => (path.includes('\\') && !path.includes('/') ? '\\' : '/');

/** `dir` and every folder above it, nearest first. Works on POSIX and Windows paths. */
export function ancestorDirs(dir: string): string[] {
  const sep = separatorOf(dir);
  const out: string[] = [];
  let d = dir.length > 1 ? dir.replace(/[/\\]+$/, '') || sep : dir;
  for (;;) {
    out.push(d);
    const cut = Math.max(d.lastIndexOf('/'), d.lastIndexOf('\\'));
    if (cut < 0) break;
    // Keep the root itself: "/" or "C:\".
    const up = cut === 0 ? d.slice(0, 1) : /^[A-Za-z]:$/.test(d.slice(0, cut)) ? d.slice(0, cut + 1) : d.slice(0, cut);
    if (up === d) break;
    d = up;
  }
  return out;
}

export function profilePathIn(dir: string): string {
  const sep = separatorOf(dir);
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + PROFILE_FILE_NAME : `${dir}${sep}${PROFILE_FILE_NAME}`;
}

/** The nearest profile walking up from `dir`, asking a synchronous probe (one-shot CLI lookups). */
export function nearestProfile(dir: string, exists: (path: string) => boolean): string | null {
  for (const d of ancestorDirs(dir)) {
    const candidate = profilePathIn(d);
    if (exists(candidate)) return candidate;
  }
  return null;
}

/** Says whether a profile file exists at a path: the disk, an unsaved buffer, a test's map. */
export type ProfileProbe = (path: string) => boolean | Promise<boolean>;

/**
 * The nearest profile with a cache by folder, so checking a thousand templates asks the
 * probe once per folder. Call `forget()` when profiles appear or disappear.
 */
export class ProfileLocator {
  private readonly nearest = new Map<string, string | null>();

  constructor(private readonly probe: ProfileProbe) {}

  async find(dir: string): Promise<string | null> {
    const walked: string[] = [];
    let found: string | null = null;
    for (const d of ancestorDirs(dir)) {
      const cached = this.nearest.get(d);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      walked.push(d);
      const candidate = profilePathIn(d);
      if (await this.probe(candidate)) {
        found = candidate;
        break;
      }
    }
    for (const w of walked) this.nearest.set(w, found);
    return found;
  }

  forget(): void {
    this.nearest.clear();
  }
}

/** `path` relative to the folder of `profilePath`, with forward slashes (how analyses name templates). */
export function pathFromProfile(profilePath: string, path: string): string {
  const norm = (p: string) => p.replace(/\\/g, '/');
  const base = norm(profilePath).replace(/\/[^/]*$/, '');
  const target = norm(path);
  const a = base.split('/').filter(Boolean);
  const b = target.split('/').filter(Boolean);
  let i = 0;
  const same = (x: string, y: string) => (/^[A-Za-z]:$/.test(x) ? x.toLowerCase() === y.toLowerCase() : x === y);
  while (i < a.length && i < b.length && same(a[i]!, b[i]!)) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
