⟪DCR401; template names are lowercase letters, digits and underscores⟫
CALL samooha_by_snowflake_local_db.consumer.create_template_request('Retail Clean Room', '⟦My Template⟧', $$
SELECT COUNT(*) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
$$);
