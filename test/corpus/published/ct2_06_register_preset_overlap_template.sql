CALL SAMOOHA_BY_SNOWFLAKE_LOCAL_DB.REGISTRY.REGISTER_TEMPLATE(
  $$
  api_version: 2.0.0
  spec_type: template
  name: preset_overlap_template
  version: 2026_08_18_V1
  type: sql_analysis
  description: Overlap count against a fixed publisher audience
  methodology: Joins the preset publisher audience to a runner-supplied table on hashed email
  parameters:
  - name: source_tables
    description: The advertiser table to compare against the publisher audience
    required: true

  preset_tables:
  - alias: publisher
    template_view_name: pub.pub_audience_v2.AUDIENCE

  template:
    SELECT COUNT(DISTINCT publisher.hashed_email) AS overlap_count
    FROM IDENTIFIER({{ preset_tables['publisher'] }}) AS publisher
    INNER JOIN IDENTIFIER({{ source_table[0] }}) AS p1
    ON publisher.hashed_email = p1.hashed_email;

$$);
