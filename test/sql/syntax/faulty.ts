/**
 * Planted syntax errors: realistic typos in realistic templates. `⟦…⟧` marks the template
 * text the DCR201 finding must point at (the offending token, or the `{{ … }}` that
 * produced it).
 */
const T = 'IDENTIFIER({{ source_table[0] }})';
const C = 'IDENTIFIER({{ my_table[0] }})';

export const FAULTY: string[] = [
  // ---- missing commas
  `SELECT p.region\n       ⟦COUNT⟧(*) AS n\nFROM ${T} AS p\nGROUP BY 1`,
  `SELECT p.region cnt ⟦COUNT⟧(*) AS n FROM ${T} AS p GROUP BY 1`,
  `SELECT p.region ⟦p⟧.status, COUNT(*) AS n FROM ${T} AS p GROUP BY 1, 2`,
  `SELECT IDENTIFIER({{ dimensions[0] }}) AS dim ⟦COUNT⟧(*) AS n FROM ${T} AS p GROUP BY 1`,
  `SELECT p.a AS a p.b AS b FROM ${T} AS p`.replace('p.b AS b', '⟦p⟧.b AS b').replace('AS a ⟦p⟧', 'AS a ⟦p⟧'),
  `SELECT {% for d in dimensions %}IDENTIFIER({{ d }}) {% endfor %}COUNT(*) AS n FROM ${T} AS p`.replace(
    'IDENTIFIER({{ d }}) {% endfor %}',
    '⟦IDENTIFIER⟧({{ d }}) {% endfor %}',
  ),
  `SELECT COUNT(*) AS n FROM ${T} AS p GROUP BY p.region ⟦p⟧.status`,
  `SELECT p.region, COUNT(*) AS n FROM ${T} AS p GROUP BY p.region ORDER BY n DESC ⟦p⟧.region`,
  `SELECT COALESCE(p.a p.b) AS x FROM ${T} AS p`.replace('p.a p.b', 'p.a ⟦p⟧.b'),
  `SELECT COUNT(*) AS n FROM ${T} AS p WHERE p.age IN (18, 21 ⟦65⟧)`,
  // ---- dangling operators
  `SELECT COUNT(*) AS n\nFROM ${T} AS p\nWHERE p.age > 18 ⟦AND⟧\nGROUP BY p.region`,
  `SELECT COUNT(*) AS n FROM ${T} AS p WHERE p.age > 18 ⟦OR⟧`,
  `SELECT COUNT(*) AS n FROM ${T} AS p WHERE p.age ⟦>⟧ AND p.region = 'EU'`,
  `SELECT COUNT(*) AS n FROM ${T} AS p WHERE p.a = 1 ⟦AND⟧ AND p.b = 2`,
  `SELECT p.amount ⟦+⟧ FROM ${T} AS p`,
  `SELECT COUNT(*) AS n FROM ${T} AS p JOIN ${C} AS c ON p.hem = c.hem ⟦AND⟧ WHERE p.age > 1`,
  `SELECT COUNT(*) AS n FROM ${T} AS p WHERE p.age BETWEEN 18 ⟦65⟧`,
  // ---- CASE, parentheses
  `SELECT ⟦CASE⟧ WHEN p.age < 18 THEN 'minor' ELSE 'adult' AS band FROM ${T} AS p`,
  `SELECT ⟦CASE⟧ WHEN p.age < 18 THEN 'minor' FROM ${T} AS p`,
  `SELECT CASE WHEN p.age < 18 ⟦'minor'⟧ END AS band FROM ${T} AS p`,
  `SELECT COUNT(*) AS n FROM ${T} AS p WHERE (p.age > 18 ⟦p⟧.region = 'EU')`,
  // ---- FROM and JOIN
  `SELECT COUNT(*) AS n ⟦FROM⟧\nWHERE p.age > 18`,
  `SELECT COUNT(*) AS n FROM ${T} AS p LEFT JOIN ${C} AS c ⟦ON⟧\nWHERE p.age > 18`,
  `SELECT COUNT(*) AS n FROM ${T} AS p JOIN ${C} AS c p.hem = ⟦c⟧.hem`.replace('AS c p.hem = ⟦c⟧.hem', 'AS c ⟦p⟧.hem = c.hem'),
  `SELECT COUNT(*) AS n FROM ${T} AS p ASOF JOIN ${C} AS c ⟦ON⟧ p.ts >= c.ts`,
  `SELECT COUNT(*) AS n FROM ${T} AS p NATURAL JOIN ${C} AS c ⟦ON⟧ p.hem = c.hem`,
  `SELECT COUNT(*) AS n FROM ${T} AS p ⟦LEFT⟧ ${C} AS c ON p.hem = c.hem`,
  `SELECT COUNT(*) AS n FROM ${T} AS p ${C} AS c`.replace(`AS p ${C}`, `AS p ⟦IDENTIFIER⟧({{ my_table[0] }})`),
  // ---- clauses
  `SELECT p.region, COUNT(*) AS n FROM ${T} AS p GROUP BY 1 ⟦WHERE⟧ p.age > 18`,
  `SELECT p.region, COUNT(*) AS n FROM ${T} AS p GROUP ⟦p⟧.region`,
  `SELECT p.region, COUNT(*) AS n FROM ${T} AS p GROUP BY p.region ORDER ⟦n⟧`,
  `SELECT p.region, COUNT(*) AS n FROM ${T} AS p ORDER BY n ⟦HAVING⟧ COUNT(*) > 1`,
  `SELECT p.region FROM ${T} AS p LIMIT ⟦ten⟧`,
  `SELECT ⟦FROM⟧ ${T} AS p`,
  `SELECT COUNT(*) AS n FROM ${T} AS p ⟦WHERE⟧`,
  `SELECT p.region AS ⟦'region'⟧ FROM ${T} AS p`,
  `SELECT p.region AS ⟦from⟧ FROM ${T} AS p`,
  // ---- WITH and set operations
  `WITH a AS (SELECT p.hem AS hem FROM ${T} AS p)\n⟦b⟧ AS (SELECT c.hem AS hem FROM ${C} AS c)\nSELECT COUNT(*) AS n FROM a JOIN b ON a.hem = b.hem`,
  `WITH a ⟦(⟧SELECT p.hem AS hem FROM ${T} AS p) SELECT COUNT(*) AS n FROM a`,
  `SELECT p.hem FROM ${T} AS p UNION ⟦UNION⟧ SELECT c.hem FROM ${C} AS c`,
  `SELECT p.hem FROM ${T} AS p\n⟦SELECT⟧ c.hem FROM ${C} AS c`,
  // ---- functions and windows
  `SELECT ROW_NUMBER() OVER (PARTITION BY p.region ORDER p.ts) AS rn FROM ${T} AS p`.replace('ORDER p.ts', 'ORDER ⟦p⟧.ts'),
  `SELECT LISTAGG(p.region, ',') WITHIN GROUP (⟦p⟧.region) AS r FROM ${T} AS p`,
  `SELECT COUNT(DISTINCT p.hem ⟦p⟧.region) AS n FROM ${T} AS p`,
  `SELECT CAST(p.age ⟦VARCHAR⟧) AS a FROM ${T} AS p`,
  `SELECT p.region, COUNT(*) AS n FROM ${T} AS p GROUP BY p.region HAVING ⟦ORDER⟧ BY n`,
  // ---- activation template
  `BEGIN\n  CREATE OR REPLACE TABLE cleanroom.activation_data_seg AS\n    SELECT p.hem AS hem\n    ⟦FORM⟧ ${T} AS p;\n  RETURN 'seg';\nEND;`,
  `BEGIN\n  CREATE OR REPLACE TABLE cleanroom.activation_data_seg AS SELECT p.hem AS hem FROM ${T} AS p WHERE p.age > 18 ⟦AND⟧;\n  RETURN 'seg';\nEND;`,
  `BEGIN\n  CREATE OR REPLACE TABLE cleanroom.activation_data_seg AS SELECT p.hem AS hem FROM ${T} AS p\n  ⟦RETURN⟧ 'seg';\nEND;`,
  `BEGIN\n  INSERT INTO cleanroom.activation_data_seg (hem) ⟦SELEC⟧ p.hem FROM ${T} AS p;\n  RETURN 'seg';\nEND;`,
  // ---- strings and token-level mistakes
  `SELECT COUNT(*) AS n FROM ${T} AS p WHERE p.status = ⟦'⟧active\nGROUP BY p.region`,
  `SELECT p.region AS ⟦"⟧Region, COUNT(*) AS n FROM ${T} AS p GROUP BY 1`,
  `SELECT p.region, COUNT(*) AS n FROM ${T} AS p GROUP BY p.region⟦,⟧\nORDER BY n`,
  `SELECT p.region⟦,⟧, COUNT(*) AS n FROM ${T} AS p GROUP BY 1`,
  `SELECT COUNT(*) AS n FROM ⟦'DB.S.T'⟧ AS p`,
];
