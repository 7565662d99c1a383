-- Least privilege in PostgreSQL (DESIGN.md §3: each service owns its schema). One login role per service
-- owns its schema and everything in it, and has no right on the other schemas; its migrations run as it.
-- Run as a superuser in the application database (rrm) by every environment, from this one file:
-- ./rrm up and the tests (scripts/infra.sh, tests/Rrm.Testing), docker-compose (docker-entrypoint-initdb.d)
-- and Kubernetes (this component's ConfigMap: CloudNativePG's postInitApplicationSQLRefs in prod, the
-- dev StatefulSet's init scripts). Idempotent: safe to run again, also on a database whose schemas an
-- older version created as the administrator (it hands them and their objects over).
-- Passwords are not set here: each environment sets them from its own secret (docs/operations.md).
DO $roles$
DECLARE
  owner_of CONSTANT text[][] := ARRAY[
    ['petition', 'rrm_petition'], ['review', 'rrm_review'],
    ['liquidation', 'rrm_liquidation'], ['notification', 'rrm_notification']];
  pair text[];
  obj record;
BEGIN
  FOREACH pair SLICE 1 IN ARRAY owner_of LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = pair[2]) THEN
      EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT', pair[2]);
    END IF;
    -- EF's migrations say CREATE SCHEMA IF NOT EXISTS, which PostgreSQL checks against CREATE on the
    -- database even when the schema exists: that right lets a role make new schemas, never enter another's.
    EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO %I', current_database(), pair[2]);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', pair[1], pair[2]);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', pair[1], pair[2]);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', pair[1]);
    -- Tables, sequences, views and functions made earlier by the administrator change hands too.
    FOR obj IN
      SELECT format('ALTER %s %I.%I OWNER TO %I',
               CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
               n.nspname, c.relname, pair[2]) AS ddl
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = pair[1] AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        AND pg_get_userbyid(c.relowner) <> pair[2]
        AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
    LOOP EXECUTE obj.ddl; END LOOP;
    FOR obj IN
      SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, pair[2]) AS ddl
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = pair[1] AND pg_get_userbyid(p.proowner) <> pair[2]
    LOOP EXECUTE obj.ddl; END LOOP;
  END LOOP;
END
$roles$;
