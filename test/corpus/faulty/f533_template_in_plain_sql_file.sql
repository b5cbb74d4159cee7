⟪DCR101; a template kept as a plain .sql file (no call around it) is checked as a template⟫
SELECT IDENTIFIER(⟦{{ dimensions[0] }}⟧) AS dim, COUNT(DISTINCT p.hashed_email) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
GROUP BY dim
