/**
 * The SQL check's cost: the syntax parser (checkSql) and the whole DCR2xx pass (sqlRules)
 * on the renders of the SQL syntax proof corpus and of the honesty corpus's valid
 * templates, as time per KB of rendered SQL. Figures only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from '../core/src/index.js';
import { renderSymbolic } from '../core/src/index.js';
import type { RenderOutcome } from '../core/src/index.js';
import { checkSql, sqlRules, templateKind, SourceMap } from '../core/src/index.js';
import { VALID, VALID_PLAIN } from '../test/sql/syntax/valid.js';
import { FAULTY } from '../test/sql/syntax/faulty.js';
import { measure } from './engine.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface RenderedCase {
  name: string;
  source: string;
  outcome: RenderOutcome;
}

/** First symbolic render of each template: the written syntax corpus, then test/corpus valid and faulty. */
export function renderedCorpus(): { written: RenderedCase[]; writtenFaulty: RenderedCase[]; corpusValid: RenderedCase[]; corpusFaulty: RenderedCase[] } {
  const render = (name: string, text: string, path = 'case.jinjasql'): RenderedCase[] => {
    const out: RenderedCase[] = [];
    for (const { region, parse } of parseDocument({ text, path }).templates) {
      if (parse.errors.length) continue;
      const r = renderSymbolic(region.text, parse).renders.find(x => !x.outcome.error && x.outcome.output !== null);
      if (r) out.push({ name, source: region.text, outcome: r.outcome });
    }
    return out;
  };
  const dir = (sub: string) => {
    const d = join(HERE, '..', 'test', 'corpus', sub);
    return readdirSync(d)
      .filter(n => /\.(jinjasql|sql|ya?ml)$/.test(n))
      .sort()
      .flatMap(n =>
        render(
          n,
          readFileSync(join(d, n), 'utf8')
            .replace(/^⟪[^⟫]*⟫\r?\n/, '')
            .replace(/[⟦⟧]/g, ''),
          n,
        ),
      );
  };
  return {
    written: [...VALID, ...VALID_PLAIN].flatMap((t, i) => render(`valid#${i}`, t)),
    writtenFaulty: FAULTY.flatMap((t, i) => render(`faulty#${i}`, t.replace(/[⟦⟧]/g, ''))),
    corpusValid: dir('valid'),
    corpusFaulty: dir('faulty'),
  };
}

export function runSqlBenchmark(): void {
  const c = renderedCorpus();
  const cases = [...c.written, ...c.writtenFaulty, ...c.corpusValid];
  const kb = cases.reduce((n, x) => n + x.outcome.output!.length, 0) / 1024;
  const maps = cases.map(x => new SourceMap(x.outcome.segments, x.source));
  const parse = measure(() => cases.forEach((x, i) => void checkSql(x.outcome.output!, maps[i]!.bindAt)), 60, 5);
  const rules = measure(
    () => cases.forEach(x => void sqlRules(x.outcome, { kind: templateKind(x.outcome.output!, undefined), api: 'legacy', source: x.source })),
    60,
    5,
  );
  const per = (ms: number) => (ms / kb).toFixed(3).padStart(7);
  console.log(`\nSQL check (${cases.length} renders, ${kb.toFixed(1)} KB of rendered SQL): ms per KB, median / p95`);
  console.log(`syntax parse (checkSql)   ${per(parse.median)} ${per(parse.p95)}`);
  console.log(`all DCR2xx rules          ${per(rules.median)} ${per(rules.p95)}`);
}
