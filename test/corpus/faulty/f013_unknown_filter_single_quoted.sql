⟪DCR002; unknown filter inside a single-quoted template with '' escapes before it⟫
CALL samooha_by_snowflake_local_db.provider.add_custom_sql_template('Retail Clean Room', 'status_overlap', 'SELECT COUNT(*) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
WHERE p.status = ''ACTIVE'' AND p.region = ''EU''
  AND IDENTIFIER({{ filter_col | ⟦columnpolicy⟧ }}) IS NOT NULL');
