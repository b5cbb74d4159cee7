⟪DCR407; the template comes from a query, so nothing can be checked: said at the call⟫
SET template_text = (SELECT body FROM my_db.my_schema.templates WHERE name = 'overlap');
CALL samooha_by_snowflake_local_db.provider.⟦add_custom_sql_template⟧($cleanroom_name, 'overlap', $template_text);
