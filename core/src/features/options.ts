/** Options shared by the editor features; every field has a safe default. */
import type { Api } from '../settings.js';

export interface FeatureOptions {
  /** Which alias convention names mean (p1 = source_table[1] legacy, [0] Collaboration). */
  api?: Api;
  /** False in an untrusted workspace: nothing is rendered, hovers say so. */
  allowRender?: boolean;
  /** Link target for a rule code; front ends know where the docs are published. */
  ruleDocsUrl?: (code: string) => string;
}

export function ruleLink(options: FeatureOptions, code: string): string {
  const url = options.ruleDocsUrl?.(code) ?? `docs/rules/${code}.md`;
  return `[${code}](${url})`;
}
