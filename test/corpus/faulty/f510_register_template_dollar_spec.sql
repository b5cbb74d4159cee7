⟪DCR103; REGISTER_TEMPLATE with the spec YAML inside $$: the template's sqlsafe without a policy is found and mapped through both layers⟫
USE SECONDARY ROLES NONE;
CALL samooha_by_snowflake_local_db.registry.register_template(
$$
api_version: 2.0.0
spec_type: template
name: overlap_by_column
version: v1
type: sql_analysis
template: |
  SELECT p1.{{ group_col ⟦| sqlsafe⟧ }} AS grp, COUNT(*) AS n
  FROM IDENTIFIER({{ source_table[0] }}) AS p1
  GROUP BY grp
parameters:
  - name: group_col
    type: string
$$);
