⟪DCR403 DCR401; two calls in one worksheet, each with its own bad name⟫
CALL samooha_by_snowflake_local_db.consumer.create_template_request('⟦Retail.Room⟧', 'ok_template_1', $$
SELECT COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p
$$);
CALL samooha_by_snowflake_local_db.consumer.create_template_request('Retail Room', '⟦ok-template-2⟧', $$
SELECT COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p
$$);
