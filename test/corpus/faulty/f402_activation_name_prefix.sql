⟪DCR402; a consumer activation template not named activation_…⟫
CALL samooha_by_snowflake_local_db.consumer.create_template_request('Media Clean Room', '⟦segment_export⟧', $$
BEGIN
    CREATE OR REPLACE TABLE cleanroom.activation_data_segment AS
        SELECT DISTINCT {{ activation_col | sqlsafe | activation_policy }} AS hashed_email
        FROM IDENTIFIER({{ my_table[0] }}) AS c
        JOIN IDENTIFIER({{ source_table[0] }}) AS p
          ON IDENTIFIER({{ c_join_col | join_policy }}) = IDENTIFIER({{ p_join_col | join_policy }});
    RETURN 'segment';
END;
$$);
