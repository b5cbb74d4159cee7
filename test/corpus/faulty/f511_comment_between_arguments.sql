⟪DCR101; comments of every kind between the arguments of create_template_request⟫
CALL samooha_by_snowflake_local_db.consumer.create_template_request( // the room
  $cleanroom_name, -- set above
  /* the template's name */ 'overlap_by_dimension',
  $$
  SELECT IDENTIFIER(⟦{{ dimensions[0] }}⟧) AS dim, COUNT(*) AS n
  FROM IDENTIFIER({{ my_table[0] }}) AS c
  JOIN IDENTIFIER({{ source_table[0] }}) AS p
    ON c.hashed_email = p.hashed_email
  GROUP BY dim
  $$ // end of template
);
