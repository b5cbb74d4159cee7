/**
 * Profiles (cleanrooms.json) for the CLI: explicit with --profile, else the nearest one
 * walking up from each template. A profile that is not JSON at all is a configuration error
 * (exit 2); anything else wrong in it is reported as findings on the profile file.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseProfile, pathFromProfile, profileUnreadable, ProfileLocator, type Profile } from '../../core/src/index.js';
import { readText } from './files.js';
import { UsageError } from './io.js';

export interface LoadedProfile {
  path: string;
  text: string;
  profile: Profile;
}

export function loadProfile(path: string, cwd: string): LoadedProfile {
  const abs = resolve(cwd, path);
  const text = readText(abs, path);
  const profile = parseProfile(text);
  // Problems that leave nothing of the profile usable stop the command (exit 2) with their place.
  const unreadable = profileUnreadable(text, `profile ${path}`, profile);
  if (unreadable) throw new UsageError(unreadable);
  return { path: abs, text, profile };
}

/** The probe every CLI profile lookup uses: a regular file at that path. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Finds and caches the profile governing each template (core's ProfileLocator, probing the disk). */
export class ProfileFinder {
  private readonly locator = new ProfileLocator(isFile);
  private readonly loaded = new Map<string, LoadedProfile>();
  constructor(
    private readonly cwd: string,
    private readonly explicit?: string,
  ) {
    if (explicit) this.remember(loadProfile(explicit, cwd));
  }

  private remember(p: LoadedProfile): LoadedProfile {
    this.loaded.set(p.path, p);
    return p;
  }

  /** The profile at `path`, read once however often it is asked for. */
  load(path: string): LoadedProfile {
    const abs = resolve(this.cwd, path);
    return this.loaded.get(abs) ?? this.remember(loadProfile(abs, this.cwd));
  }

  /** The profile for a template file, and the template's path relative to the profile's folder. */
  async forFile(abs: string): Promise<{ loaded: LoadedProfile; templatePath: string } | null> {
    const path = this.explicit ? resolve(this.cwd, this.explicit) : await this.locator.find(dirname(abs));
    if (!path) return null;
    const loaded = this.load(path);
    return { loaded, templatePath: pathFromProfile(path, abs) };
  }

  all(): LoadedProfile[] {
    return [...this.loaded.values()];
  }
}

/** Template text for analyses of a profile, relative to its folder; undefined when unreadable. */
export function templateReader(profilePath: string): (p: string) => string | undefined {
  return p => {
    try {
      const t = readFileSync(resolve(dirname(profilePath), p), 'utf8');
      return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
    } catch {
      return undefined;
    }
  };
}
