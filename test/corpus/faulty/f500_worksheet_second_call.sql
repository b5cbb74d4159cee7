⟪DCR101; the second of two requests projects an unchecked column⟫
SET cleanroom_name = 'Retail Clean Room';
CALL samooha_by_snowflake_local_db.consumer.create_template_request($cleanroom_name, 'overlap_checked', $$
SELECT IDENTIFIER({{ dimensions[0] | column_policy }}) AS dim, COUNT(*) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
GROUP BY 1
$$);
-- the same analysis, written carelessly
CALL samooha_by_snowflake_local_db.consumer.create_template_request($cleanroom_name, 'overlap_unchecked', $$
SELECT IDENTIFIER(⟦{{ dimensions[0] }}⟧) AS dim, COUNT(*) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
GROUP BY 1
$$);
