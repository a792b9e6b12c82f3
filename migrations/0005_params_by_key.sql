-- Logbook schema version 5. SQLite's schema does not change: each SQLite connection keeps the `params` keys it has
-- read and then reads only those of runs newer than the newest it has seen (SQLite hands out run ids in commit
-- order, so that is every new key; see `ParameterKeyCache`). The version exists for PostgreSQL's twin,
-- postgresql/0005_params_by_key.pg.sql, whose sequences give no such order and which lists the keys through an
-- index instead (a schema version means the same on both stores).
SELECT 1;
