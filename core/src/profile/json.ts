/**
 * The profile as plain JSON, for the code that sends it to Snowflake (policy strings exactly as
 * written, arguments as JSON values), read by the same rules as every other reader: what makes a
 * profile unreadable (not JSON, nested past the limit, not an object) is decided by
 * parseProfile, and said the same way with its place.
 */
import { parse as parseJsonc } from 'jsonc-parser';
import { LineIndex } from '../text/lineIndex.js';
import { parseProfile } from './parse.js';
import type { Profile } from './types.js';

/**
 * Why nothing of the profile can be used, in one line with its place; null when it is
 * readable. `parsed`: the profile's parse when the caller has it already.
 */
export function profileUnreadable(text: string, shown: string, parsed: Profile = parseProfile(text)): string | null {
  const problem = parsed.problems.find(p => p.data?.unreadable !== undefined);
  if (!problem) return null;
  const at = new LineIndex(text).positionAt(problem.span.start);
  const where = `line ${at.line + 1}, column ${at.character + 1}`;
  const reason = problem.message.replace(/^Invalid profile: /, '');
  return problem.data!.unreadable === 'syntax' ? `${shown} is not valid JSON: ${reason} at ${where}` : `${shown}: ${reason} (${where})`;
}

/** The profile's JSON object, or why it cannot be read. */
export function readProfileJson(text: string, shown: string): { json: Record<string, unknown> } | { problem: string } {
  const problem = profileUnreadable(text, shown);
  if (problem) return { problem };
  return { json: parseJsonc(text, [], { allowTrailingComma: true, disallowComments: false }) as Record<string, unknown> };
}
