⟪DCR001; get_sql_jinja templates still get syntax and SQL checks⟫
SELECT samooha_by_snowflake_local_db.consumer.get_sql_jinja(
  $$SELECT {{ col ⟦}⟧ AS c FROM t$$,
  object_construct('col', 'status'));
