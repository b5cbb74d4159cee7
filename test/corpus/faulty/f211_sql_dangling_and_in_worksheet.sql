⟪DCR201; an AND with nothing after it before GROUP BY, in a worksheet⟫
SET cleanroom_name = 'Retail Clean Room';
CALL samooha_by_snowflake_local_db.consumer.create_template_request($cleanroom_name, 'overlap_by_status', $$
SELECT IDENTIFIER({{ dimensions[0] | column_policy }}) AS dim, COUNT(*) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
WHERE p.age > 18 ⟦AND⟧
GROUP BY 1
$$);
