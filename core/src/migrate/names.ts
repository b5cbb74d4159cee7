/**
 * Names of Collaboration API objects made from legacy names. Template, data offering and
 * collaboration names follow Snowflake identifier rules (letters, digits, underscores, at most
 * 75 characters; templates: the spec's `name`), versions at most 20 characters.
 */

export const COLLAB_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,74}$/;
export const COLLAB_VERSION = /^[A-Za-z0-9_]{1,20}$/;
export const DEFAULT_VERSION = 'v1';

/** A valid identifier made from any name: other characters become '_', never empty. */
export function identifierOf(name: string, max = 75): string {
  let s = name
    .trim()
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+(?=.)|_+$/g, '');
  if (!s) s = 'unnamed';
  if (/^[0-9]/.test(s)) s = `t_${s}`;
  return s.slice(0, max).replace(/_+$/, '') || 'unnamed';
}

/** Lower-case identifier, as aliases and offering names are usually written. */
export function slugOf(name: string, max = 75): string {
  return identifierOf(name.toLowerCase(), max);
}

/** `base`, or `base_2`, `base_3`… when taken; the result stays within `max` characters. */
export function unique(base: string, taken: Set<string>, max = 75): string {
  let name = base.slice(0, max);
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, max - String(n).length - 1)}_${n}`;
  taken.add(name.toLowerCase());
  return name;
}
