/**
 * A preview's source map crosses from the analysis thread as two typed arrays (moved, not
 * copied): structured-cloning tens of thousands of small segment objects cost more than the
 * preview itself, and JSON text was not much better.
 *
 * Layout: per segment six integers (start, end, source start, source end, kind, call-site
 * chain or -1), sections one after the other with their segment counts first; call-site chains
 * are shared (one macro body's segments share one chain) and stored once each.
 */
import type { PreviewSegment } from '../../../core/src/index.js';

const KINDS: readonly PreviewSegment['kind'][] = ['text', 'expression', 'bind', 'markup'];
const KIND_CODE = new Map(KINDS.map((k, i) => [k, i]));

export interface EncodedSegments {
  segments: Int32Array;
  chains: Int32Array;
}

export function encodeSegments(sections: readonly (readonly PreviewSegment[])[]): EncodedSegments {
  let total = sections.length;
  for (const s of sections) total += s.length * 6;
  const segments = new Int32Array(total);
  const chainIndex = new Map<readonly { start: number; end: number }[], number>();
  const chains: number[] = [];
  let k = 0;
  for (const section of sections) {
    segments[k++] = section.length;
    for (const g of section) {
      let chain = -1;
      if (g.via && g.via.length) {
        const known = chainIndex.get(g.via);
        if (known !== undefined) chain = known;
        else {
          chain = chains.length;
          chainIndex.set(g.via, chain);
          chains.push(g.via.length);
          for (const v of g.via) chains.push(v.start, v.end);
        }
      }
      segments[k++] = g.start;
      segments[k++] = g.end;
      segments[k++] = g.source.start;
      segments[k++] = g.source.end;
      segments[k++] = KIND_CODE.get(g.kind) ?? 0;
      segments[k++] = chain;
    }
  }
  return { segments, chains: Int32Array.from(chains) };
}

export function decodeSegments(encoded: EncodedSegments): PreviewSegment[][] {
  const { segments, chains } = encoded;
  const viaAt = new Map<number, { start: number; end: number }[]>();
  const via = (at: number) => {
    let v = viaAt.get(at);
    if (!v) {
      v = [];
      const n = chains[at]!;
      for (let i = 0; i < n; i++) v.push({ start: chains[at + 1 + 2 * i]!, end: chains[at + 2 + 2 * i]! });
      viaAt.set(at, v);
    }
    return v;
  };
  const out: PreviewSegment[][] = [];
  let k = 0;
  while (k < segments.length) {
    const count = segments[k++]!;
    const section: PreviewSegment[] = new Array<PreviewSegment>(count);
    for (let i = 0; i < count; i++) {
      const g: PreviewSegment = {
        start: segments[k]!,
        end: segments[k + 1]!,
        source: { start: segments[k + 2]!, end: segments[k + 3]! },
        kind: KINDS[segments[k + 4]!] ?? 'text',
      };
      const chain = segments[k + 5]!;
      if (chain >= 0) g.via = via(chain);
      section[i] = g;
      k += 6;
    }
    out.push(section);
  }
  return out;
}
