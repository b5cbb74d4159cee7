⟪DCR103; an argument named like a table is still whatever the caller passes (only source_table and my_table are filled by Snowflake)⟫
CALL samooha_by_snowflake_local_db.provider.add_custom_sql_template(
        $cleanroom_name,
        'prod_get_results',
        $$
          SELECT * FROM cleanroom.{{ results_table ⟦| sqlsafe⟧ }};
        $$
);
