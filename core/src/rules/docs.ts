/**
 * Where each rule's documentation page lives. Every front end (LSP codeDescription, SARIF
 * helpUri, CLI help) links through this one function so the base moves in one place.
 */
export const RULE_DOCS_BASE_URL = 'https://github.com/clean-room-templates/clean-room-templates/blob/main/docs/rules/';

export function ruleDocsUrl(code: string): string {
  return `${RULE_DOCS_BASE_URL}${encodeURIComponent(code)}.md`;
}
