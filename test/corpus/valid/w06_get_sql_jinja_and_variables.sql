⟪; get_sql_jinja with a $$ template, and a template held in a session variable⟫
SET template_text = $$
SELECT IDENTIFIER({{ dimensions[0] | column_policy }}) AS dim, COUNT(*) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
GROUP BY dim
$$;
CALL samooha_by_snowflake_local_db.provider.add_custom_sql_template($cleanroom_name, 'dim_counts', $template_text);
SELECT samooha_by_snowflake_local_db.consumer.get_sql_jinja(
  $$SELECT {{ n | int }} AS n$$,
  object_construct('n', 3));
