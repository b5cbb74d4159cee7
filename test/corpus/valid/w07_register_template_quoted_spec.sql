⟪; REGISTER_TEMPLATE with a registry name and the spec in a single-quoted string⟫
CALL samooha_by_snowflake_local_db.registry.register_template('my_templates', '
api_version: 2.0.0
spec_type: template
name: quoted_spec
version: v1
type: sql_analysis
template: |
  SELECT COUNT(*) AS n, IDENTIFIER({{ grp | column_policy }}) AS g
  FROM IDENTIFIER({{ source_table[0] }}) AS p1
  WHERE p1.status = ''ACTIVE''
  GROUP BY g
parameters:
  - name: grp
    type: string
');
