⟪DCR103; named arguments (=>) and a single-quoted template with '' escapes⟫
call samooha_by_snowflake_local_db.provider.add_custom_sql_template(
  template_name => 'status_counts',
  cleanroom_name => $cleanroom_name,
  template => 'SELECT c.{{ col ⟦| sqlsafe⟧ }} AS grp, COUNT(*) AS n FROM IDENTIFIER({{ my_table[0] }}) AS c WHERE c.status = ''ACTIVE'' GROUP BY grp');
