⟪DCR105; single-quoted template: '' escapes before the finding shift every offset⟫
CALL samooha_by_snowflake_local_db.provider.add_custom_sql_template('Retail Clean Room', 'status_counts',
'SELECT ''all'' AS scope, COUNT(*) AS n
FROM ⟦{{ source_table[0] }}⟧ AS p
WHERE p.status <> ''INACTIVE''');
