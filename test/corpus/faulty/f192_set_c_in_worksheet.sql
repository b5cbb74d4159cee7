⟪DCR112; set c in an embedded template⟫
CALL samooha_by_snowflake_local_db.consumer.create_template_request('Retail Clean Room', 'consumer_overlap', $$
{% set ⟦c⟧ = my_table[0] %}
SELECT COUNT(*) AS n
FROM IDENTIFIER({{ c }}) AS c
JOIN IDENTIFIER({{ source_table[0] }}) AS p
  ON IDENTIFIER({{ c_join_col | join_policy }}) = IDENTIFIER({{ p_join_col | join_policy }})
$$);
