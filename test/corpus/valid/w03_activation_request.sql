CALL samooha_by_snowflake_local_db.consumer.create_template_request('Media Clean Room', 'activation_my_segment', $$
BEGIN
    CREATE OR REPLACE TABLE cleanroom.activation_data_my_segment AS
        SELECT DISTINCT {{ activation_col | sqlsafe | activation_policy }} AS hashed_email
        FROM IDENTIFIER({{ my_table[0] }}) AS c
        JOIN IDENTIFIER({{ source_table[0] }}) AS p
          ON {{ c_join_col | sqlsafe | join_policy }} = {{ p_join_col | sqlsafe | join_policy }};
    RETURN 'my_segment';
END;
$$);
