-- Logbook schema version 4. SQLite's schema does not change: its `iterations` table (WITHOUT ROWID, key
-- (run_id, step), ≈ 22 bytes a row) is already compact and fast to append to. The version exists for PostgreSQL's
-- twin, postgresql/0004_iteration_blocks.pg.sql, which stores iterations in blocks of consecutive steps behind an
-- `iterations` view with these same columns (a schema version means the same on both stores).
SELECT 1;
