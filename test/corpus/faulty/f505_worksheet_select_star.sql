⟪DCR113; SELECT * in an embedded provider template⟫
CALL samooha_by_snowflake_local_db.provider.add_custom_sql_template('Retail Clean Room', 'sample_rows', $$
SELECT ⟦*⟧ FROM IDENTIFIER({{ source_table[0] }}) AS p LIMIT {{ row_count | int }}
$$);
