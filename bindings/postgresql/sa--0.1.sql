-- libsa for PostgreSQL (docs/bindings.md): decisions for households held in tables.
\echo Use "CREATE EXTENSION sa" to load this file. \quit

-- The decision for one household, a bare JSON object (docs/household.md), or text (YAML or
-- JSON, a bare object or a `household:` document). Raises on a bad household.
CREATE FUNCTION sa_evaluate(pack text, household jsonb, as_of date) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sa_pg_evaluate_jsonb' LANGUAGE C STRICT STABLE PARALLEL SAFE COST 500;
CREATE FUNCTION sa_evaluate(pack text, household text, as_of date) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sa_pg_evaluate' LANGUAGE C STRICT STABLE PARALLEL SAFE COST 500;

-- The same, but a libsa error is returned as {"error": {"message", "path", "stage"}} instead
-- of raised, so that one bad row does not abort a query over a registry.
CREATE FUNCTION sa_try_evaluate(pack text, household jsonb, as_of date) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sa_pg_try_evaluate_jsonb' LANGUAGE C STRICT STABLE PARALLEL SAFE COST 500;
CREATE FUNCTION sa_try_evaluate(pack text, household text, as_of date) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sa_pg_try_evaluate' LANGUAGE C STRICT STABLE PARALLEL SAFE COST 500;

-- Drop this connection's engines: the next evaluation reads each pack from disk again.
CREATE FUNCTION sa_reload() RETURNS integer
  AS 'MODULE_PATHNAME', 'sa_pg_reload' LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION sa_screen_summary_step(int8[], jsonb) RETURNS int8[]
  AS 'MODULE_PATHNAME', 'sa_pg_summary_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sa_screen_summary_combine(int8[], int8[]) RETURNS int8[]
  AS 'MODULE_PATHNAME', 'sa_pg_summary_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sa_screen_summary_final(int8[]) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sa_pg_summary_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Aggregate over decisions (from sa_evaluate or sa_try_evaluate): records, evaluated, errors,
-- households and monthly cash (yuan) by highest tier, eligible/undetermined/cash by program.
CREATE AGGREGATE sa_screen_summary(decision jsonb) (
  SFUNC = sa_screen_summary_step, STYPE = int8[],
  COMBINEFUNC = sa_screen_summary_combine,
  FINALFUNC = sa_screen_summary_final,
  PARALLEL = SAFE
);

COMMENT ON FUNCTION sa_evaluate(text, jsonb, date) IS
  'Evaluate a household (docs/household.md, a bare JSON object) under a libsa pack on a date; returns docs/decision.md JSON.';
COMMENT ON FUNCTION sa_try_evaluate(text, jsonb, date) IS
  'As sa_evaluate, returning {"error": {"message", "path", "stage"}} instead of raising.';
COMMENT ON AGGREGATE sa_screen_summary(jsonb) IS
  'Counts and monthly cash by tier and program over decisions.';
