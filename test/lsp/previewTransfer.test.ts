/**
 * A preview's source map crosses threads as typed arrays (server/src/analysis/segments.ts):
 * what comes out is what went in, section by section, with shared call-site chains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSegments, encodeSegments } from '../../server/src/analysis/segments.js';
import type { PreviewSegment } from '../../core/src/index.js';

test('segments survive the typed-array round trip, including empty sections and shared call sites', () => {
  const chain = [
    { start: 40, end: 52 },
    { start: 3, end: 9 },
  ];
  const sections: PreviewSegment[][] = [
    [
      { start: 0, end: 7, source: { start: 0, end: 7 }, kind: 'text' },
      { start: 7, end: 12, source: { start: 10, end: 20 }, kind: 'bind', via: chain },
      { start: 12, end: 15, source: { start: 21, end: 24 }, kind: 'markup', via: chain },
    ],
    [],
    [{ start: 0, end: 4, source: { start: 100, end: 104 }, kind: 'expression', via: [{ start: 1, end: 2 }] }],
  ];
  const encoded = encodeSegments(sections);
  // The chain shared by two segments is stored once.
  assert.equal(encoded.chains.length, 1 + 2 * 2 + 1 + 2);
  const decoded = decodeSegments(encoded);
  assert.deepEqual(decoded, sections);
  assert.equal(decoded[0]![1]!.via, decoded[0]![2]!.via, 'shared again after decoding');
});
