⟪DCR403; clean room names allow letters, digits, spaces and underscores⟫
CALL samooha_by_snowflake_local_db.consumer.create_template_request('⟦retail-clean-room⟧', 'status_overlap', $$
SELECT COUNT(*) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
$$);
