CALL SAMOOHA_BY_SNOWFLAKE_LOCAL_DB."CONSUMER".CREATE_TEMPLATE_REQUEST('My Clean Room 1', 'age_band_overlap_2', $$
SELECT IDENTIFIER({{ dimensions[0] | column_policy }}) AS age_band, COUNT(*) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
JOIN IDENTIFIER({{ my_table[0] }}) AS c
  ON IDENTIFIER({{ p_join_col | join_policy }}) = IDENTIFIER({{ c_join_col | join_policy }})
GROUP BY IDENTIFIER({{ dimensions[0] | column_policy }})
$$);
