-- Consumer: ask the provider to add an overlap template.
USE ROLE samooha_app_role;
USE WAREHOUSE app_wh;
SET cleanroom_name = 'Samooha Overlap Clean Room';

CALL samooha_by_snowflake_local_db.consumer.create_template_request($cleanroom_name, 'my_overlap_analysis', $$
SELECT
    IDENTIFIER({{ dimensions[0] | column_policy }}) AS group_col,
    COUNT(*) AS overlap
FROM IDENTIFIER({{ my_table[0] }}) AS c
JOIN IDENTIFIER({{ source_table[0] }}) AS p
  ON IDENTIFIER({{ c_join_col | join_policy }}) = IDENTIFIER({{ p_join_col | join_policy }})
GROUP BY IDENTIFIER({{ dimensions[0] | column_policy }});
$$);

CALL samooha_by_snowflake_local_db.consumer.list_template_requests($cleanroom_name);
