-- libsa for PostgreSQL: the decision for one household (YAML or JSON text) as jsonb.
\echo Use "CREATE EXTENSION sa" to load this file. \quit

CREATE FUNCTION sa_evaluate(pack text, household text, as_of date) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sa_pg_evaluate' LANGUAGE C STRICT STABLE PARALLEL SAFE;

COMMENT ON FUNCTION sa_evaluate(text, text, date) IS
  'Evaluate a household (docs/household.md, as YAML or JSON text) under a libsa pack on a date; returns docs/decision.md JSON.';
