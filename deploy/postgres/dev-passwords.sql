-- Local development only (./rrm up, the tests, docker-compose): each service role's password is its name, as the
-- administrator rrm's is rrm. Deployments set real passwords from Secrets (docs/operations.md, "Database roles").
ALTER ROLE rrm_petition PASSWORD 'rrm_petition';
ALTER ROLE rrm_review PASSWORD 'rrm_review';
ALTER ROLE rrm_liquidation PASSWORD 'rrm_liquidation';
ALTER ROLE rrm_notification PASSWORD 'rrm_notification';
