⟪; get_sql_jinja renders plain JinjaSQL for the caller: no policy filters there, so no policy findings⟫
SELECT samooha_by_snowflake_local_db.consumer.get_sql_jinja(
  $$SELECT {{ col | sqlsafe }} AS c, COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p GROUP BY 1$$,
  object_construct('col', 'status', 'source_table', ['db.s.t']));
