⟪DCR206; in a worksheet: my_table[0] inside IDENTIFIER() but outside the braces⟫
CALL samooha_by_snowflake_local_db.consumer.create_template_request($cleanroom_name, 'overlap_text',
$$
SELECT COUNT(*) AS n
FROM IDENTIFIER({{ source_table[0] }}) AS p
JOIN IDENTIFIER(⟦my_table[0]⟧) AS c ON p.hashed_email = c.hashed_email
$$);
