#!/bin/sh
# Run once by the postgres image when its volume is new, after 10-service-roles.sql made the roles: each
# service role's password, from its Secret rrm-postgres-<service> (created by create-secrets.sh).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
ALTER ROLE rrm_petition PASSWORD '$PETITION_DB_PASSWORD';
ALTER ROLE rrm_review PASSWORD '$REVIEW_DB_PASSWORD';
ALTER ROLE rrm_liquidation PASSWORD '$TARIFF_LIQUIDATION_DB_PASSWORD';
ALTER ROLE rrm_notification PASSWORD '$NOTIFICATION_DB_PASSWORD';
SQL
