/**
 * The `template:` of a Collaboration template spec, read by a YAML 1.2 parser, with the source
 * offset of every template character (through quoting, escapes and folding).
 */
import { parseAllDocuments, parseDocument as parseYaml, isMap, isScalar, type Scalar } from 'yaml';
import type { Span } from '../text/span.js';
import { mapScalar, type ScalarStyle } from './yamlScalar.js';

export type SpecTemplate =
  { value: string; hostOf: number[]; name?: { value: string; span: Span }; yamlError?: { message: string; at: Span } } | { problem: string; at?: Span };

/**
 * For a file of several YAML documents (`---`): the [start, end) of each one that holds a
 * `template:`. Null for a single document.
 */
export function specDocuments(text: string): [number, number][] | null {
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch {
    return null;
  }
  if (!Array.isArray(docs) || docs.length <= 1) return null;
  return docs
    .filter(d => isMap(d.contents) && d.contents.items.some(p => isScalar(p.key) && p.key.value === 'template'))
    .map(d => [d.range[0], d.range[2]] as [number, number]);
}

export function readSpecTemplate(text: string): SpecTemplate {
  let doc;
  try {
    doc = parseYaml(text, { keepSourceTokens: true, strict: false });
  } catch (err) {
    return { problem: `Could not read this template spec as YAML: ${firstLine(err)}.` };
  }
  const root = doc.contents;
  const fatal = doc.errors[0];
  if (!isMap(root)) {
    return fatal
      ? { problem: `Could not read this template spec as YAML: ${firstLine(fatal)}.`, at: { start: fatal.pos[0], end: fatal.pos[1] } }
      : { problem: 'This template spec is not a YAML mapping, so it has no template to check.' };
  }
  const pair = root.items.find(p => isScalar(p.key) && p.key.value === 'template');
  if (!pair) {
    return fatal
      ? { problem: `Could not read this template spec as YAML: ${firstLine(fatal)}.`, at: { start: fatal.pos[0], end: fatal.pos[1] } }
      : { problem: "This template spec has no 'template' field, so there is no template to check." };
  }
  const node = pair.value;
  const keyStart = isScalar(pair.key) && pair.key.range ? pair.key.range[0] : 0;
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) {
    const at = isScalar(pair.key) && pair.key.range ? { start: pair.key.range[0], end: pair.key.range[1] } : undefined;
    return { problem: "This spec's 'template' is not a text value, so there is no template to check.", ...(at ? { at } : {}) };
  }
  const scalar = node as Scalar<string>;
  const [start, end] = scalar.range!;
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const mapped = mapScalar(text, (scalar.type ?? 'PLAIN') as ScalarStyle, start, end, scalar.value, keyStart - lineStart);
  const nameNode = root.items.find(p => isScalar(p.key) && p.key.value === 'name')?.value;
  const out: SpecTemplate = { value: mapped.value, hostOf: mapped.hostOf };
  if (fatal)
    out.yamlError = {
      message: `This template spec is not valid YAML (${firstLine(fatal)}); its template was read as far as the YAML parser could, and may not be what Snowflake receives.`,
      at: { start: fatal.pos[0], end: fatal.pos[1] },
    };
  if (isScalar(nameNode) && typeof nameNode.value === 'string' && nameNode.range) {
    out.name = { value: nameNode.value, span: { start: nameNode.range[0], end: nameNode.range[1] } };
  }
  return out;
}

function firstLine(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0]!.replace(/[.:]\s*$/, '');
}
