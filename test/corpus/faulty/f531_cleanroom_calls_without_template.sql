⟪DCR407; a worksheet of clean room calls that registers no template⟫
USE ROLE samooha_app_role;
CALL samooha_by_snowflake_local_db.consumer.⟦run_analysis⟧(
  $cleanroom_name,
  'prod_overlap_analysis',
  ['SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS'],
  ['SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS'],
  object_construct('dimensions', ['p.STATUS'])
);
