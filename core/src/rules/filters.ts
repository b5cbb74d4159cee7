import { FILTERS } from '../jinja/runtime/index.js';
import { POLICY_FILTERS } from '../jinja/evaluate.js';

/** Filters a clean room template may use: Jinja's, JinjaSQL's and the DCR policy filters. */
const EXTRA = new Set<string>(['sqlsafe', 'inclause', 'bind', ...POLICY_FILTERS]);

export function isKnownFilter(name: string): boolean {
  return FILTERS.has(name) || EXTRA.has(name);
}
