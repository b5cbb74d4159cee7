⟪DCR401; uppercase in a provider template name⟫
CALL samooha_by_snowflake_local_db.provider.add_custom_sql_template('Retail Clean Room', '⟦Overlap_V2⟧', $$
SELECT COUNT(*) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
$$);
