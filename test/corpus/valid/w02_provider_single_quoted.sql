-- Provider: add a template given as a single-quoted string ('' escapes a quote).
CALL samooha_by_snowflake_local_db.provider.add_custom_sql_template(
    'Retail Clean Room 1',
    'prod_status_overlap',
    'SELECT IDENTIFIER({{ dimensions[0] | column_policy }}) AS dim, COUNT(*) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
JOIN IDENTIFIER({{ my_table[0] }}) AS c
  ON IDENTIFIER({{ p_join_col | join_policy }}) = IDENTIFIER({{ c_join_col | join_policy }})
WHERE p.status <> ''INACTIVE''
{% if where_clause %} AND {{ where_clause | sqlsafe | join_and_column_policy }}{% endif %}
GROUP BY IDENTIFIER({{ dimensions[0] | column_policy }})');
