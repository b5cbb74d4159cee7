-- Consumer worksheet: ask both providers to add our template (legacy API).
USE ROLE samooha_app_role;
SET cleanroom_name_1 = 'Retail Media Clean Room 1';
SET cleanroom_name_2 = 'Retail Media Clean Room 2';

CALL samooha_by_snowflake_local_db.consumer.create_template_request($cleanroom_name_1, 'multiprovider_overlap', $$
SELECT
  {% for src in source_table %}
  COUNT(DISTINCT IDENTIFIER({{ hem_col[loop.index0] | join_policy }})) AS overlap_{{ loop.index | sqlsafe }}{% if not loop.last %},{% endif %}
  {% endfor %}
FROM IDENTIFIER({{ my_table[0] }}) AS c
{% for src in source_table %}
JOIN IDENTIFIER({{ src }}) AS p{{ loop.index | sqlsafe }}
  ON IDENTIFIER({{ hem_col[loop.index0] | join_policy }}) = c.hashed_email
{% endfor %}
$$);
