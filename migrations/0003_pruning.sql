-- Logbook schema, version 3: early termination and search on demand.
-- runs.status may be 'pruned' (stopped early by the sweep's early_terminate rule; every row kept), with the rule, the
-- rung and the decision recorded (pruned_rule, pruned_rung, pruned_detail; run_summary shows rule and rung);
-- sweeps.method may be 'tpe' (trials created on demand, up to planned_trials = run_cap).
-- SQLite cannot change a CHECK constraint in place, so both tables are rebuilt the documented way (sqlite.org/lang_altertable.html,
-- "making other kinds of table schema changes"): the migrator turns foreign keys off around the transaction and runs
-- PRAGMA foreign_key_check before committing; views and the trigger that name the tables are dropped and recreated.

DROP VIEW run_summary;
DROP VIEW iteration_log;

CREATE TABLE sweeps_new (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    method         TEXT NOT NULL CHECK (method IN ('grid', 'random', 'single', 'tpe')),
    metric_name    TEXT NOT NULL,
    metric_goal    TEXT NOT NULL CHECK (metric_goal IN ('maximize', 'minimize')),
    spec           TEXT NOT NULL,               -- the specification as JSON
    planned_trials INTEGER NOT NULL,
    created_at     REAL NOT NULL
) STRICT;
INSERT INTO sweeps_new SELECT * FROM sweeps;
DROP TABLE sweeps;
ALTER TABLE sweeps_new RENAME TO sweeps;

CREATE TABLE runs_new (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    sweep_id            INTEGER REFERENCES sweeps(id) ON DELETE CASCADE,
    trial_index         INTEGER,                -- position in the sweep's plan
    status              TEXT NOT NULL CHECK (status IN
                            ('pending', 'running', 'completed', 'failed', 'diverged', 'stopped', 'interrupted', 'pruned')),
    seed                INTEGER NOT NULL,
    -- model
    model               TEXT NOT NULL,          -- e.g. '64-128-10 relu +bn'
    layers              TEXT NOT NULL,          -- e.g. '64-128-10'
    activation          TEXT NOT NULL,
    batch_norm          INTEGER NOT NULL CHECK (batch_norm IN (0, 1)),
    parameter_count     INTEGER,
    -- data
    dataset             TEXT NOT NULL,
    dataset_hash        TEXT,
    train_size          INTEGER,
    validation_size     INTEGER,
    test_size           INTEGER,
    -- core hyperparameters, typed
    batch_size          INTEGER NOT NULL,
    learning_rate       REAL NOT NULL,
    initializer         TEXT NOT NULL,
    epochs              INTEGER NOT NULL,
    optimizer           TEXT NOT NULL,
    momentum            REAL NOT NULL,
    weight_decay        REAL NOT NULL,
    lr_schedule         TEXT NOT NULL,
    loss                TEXT NOT NULL,
    steps_per_epoch     INTEGER,
    config              TEXT NOT NULL,          -- the full TrainingConfiguration as JSON: reproduces the run
    -- provenance and lifecycle
    parent_run_id       INTEGER REFERENCES runs(id) ON DELETE SET NULL,  -- rerun of, or initialised from
    worker              TEXT,
    host                TEXT,
    logbook_version     TEXT NOT NULL,
    created_at          REAL NOT NULL,
    started_at          REAL,
    ended_at            REAL,
    duration            REAL,
    heartbeat_at        REAL,
    stop_reason         TEXT,
    error               TEXT,
    -- final figures, kept on the run so that summaries need no join
    epochs_completed    INTEGER,
    steps_completed     INTEGER,
    final_train_loss    REAL,
    final_train_accuracy REAL,
    final_validation_loss REAL,
    final_validation_accuracy REAL,
    test_loss           REAL,
    test_accuracy       REAL,
    -- early termination: the rule that pruned the run ('median', 'asha', 'hyperband'; also in stop_reason), the rung
    -- (ASHA, Hyperband) and the decision in one line
    pruned_rule         TEXT,
    pruned_rung         INTEGER,
    pruned_detail       TEXT
) STRICT;
INSERT INTO runs_new SELECT *, NULL, NULL, NULL FROM runs;
DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;
CREATE INDEX runs_by_sweep ON runs (sweep_id, status, trial_index);
CREATE INDEX runs_by_test_accuracy ON runs (test_accuracy);
CREATE INDEX runs_by_status ON runs (status, heartbeat_at);
CREATE INDEX runs_by_parent ON runs (parent_run_id);

CREATE TRIGGER runs_delete_iterations AFTER DELETE ON runs
BEGIN
    DELETE FROM iterations WHERE run_id = OLD.id;
END;

CREATE VIEW iteration_log AS
SELECT i.run_id,
       i.step,
       (i.step - 1) / r.steps_per_epoch + 1 AS epoch,
       (i.step - 1) % r.steps_per_epoch     AS batch_index,
       i.loss,
       COALESCE(i.learning_rate, r.learning_rate) AS learning_rate
FROM iterations AS i
JOIN runs AS r ON r.id = i.run_id;

CREATE VIEW run_summary AS
SELECT r.id AS run_id,
       r.name,
       r.sweep_id,
       r.trial_index,
       -- A run still 'running' whose heartbeat is over 10 s old lost its process (SIGKILL, power loss): it shows as
       -- interrupted at once; the next read-write open of the store records it so.
       CASE WHEN r.status = 'running' AND COALESCE(r.heartbeat_at, r.created_at) < unixepoch('now') - 10
            THEN 'interrupted' ELSE r.status END AS status,
       CASE WHEN r.status = 'running' AND COALESCE(r.heartbeat_at, r.created_at) < unixepoch('now') - 10
            THEN 'heartbeat_lost' ELSE r.stop_reason END AS stop_reason,
       r.dataset,
       r.model,
       r.batch_size,
       r.learning_rate,
       r.initializer,
       r.epochs,
       r.optimizer,
       r.momentum,
       r.weight_decay,
       r.lr_schedule,
       r.activation,
       r.batch_norm,
       r.seed,
       r.epochs_completed,
       r.steps_completed,
       r.final_train_loss AS train_loss,
       r.final_train_accuracy AS train_accuracy,
       r.final_validation_loss AS validation_loss,
       r.final_validation_accuracy AS validation_accuracy,
       r.test_loss,
       r.test_accuracy,
       r.duration,
       r.started_at,
       r.ended_at,
       r.worker,
       r.host,
       r.parent_run_id,
       r.pruned_rule,
       r.pruned_rung
FROM runs AS r;
