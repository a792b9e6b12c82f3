-- index evaluations_by_run
CREATE INDEX evaluations_by_run ON evaluations (run_id, split, epoch);

-- index runs_by_parent
CREATE INDEX runs_by_parent ON runs (parent_run_id);

-- index runs_by_status
CREATE INDEX runs_by_status ON runs (status, heartbeat_at);

-- index runs_by_sweep
CREATE INDEX runs_by_sweep ON runs (sweep_id, status, trial_index);

-- index runs_by_test_accuracy
CREATE INDEX runs_by_test_accuracy ON runs (test_accuracy);

-- table epochs
CREATE TABLE epochs (
    run_id              INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch               INTEGER NOT NULL,       -- 1-based
    step                INTEGER NOT NULL,       -- last global step of the epoch
    train_loss          REAL,                   -- NULL when NaN
    train_accuracy      REAL,
    validation_loss     REAL,
    validation_accuracy REAL,
    learning_rate       REAL NOT NULL,
    seconds             REAL NOT NULL,
    samples_per_second  REAL NOT NULL,
    PRIMARY KEY (run_id, epoch)
) STRICT, WITHOUT ROWID;

-- table evaluations
CREATE TABLE evaluations (
    id                  INTEGER PRIMARY KEY,
    run_id              INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    split               TEXT NOT NULL,          -- 'test', 'validation', 'train'
    epoch               INTEGER NOT NULL,
    sample_count        INTEGER NOT NULL,
    loss                REAL,                   -- NULL when NaN
    accuracy            REAL,
    confusion           TEXT,                   -- JSON [[count]]: rows actual, columns predicted
    mean_squared_error  REAL,
    mean_absolute_error REAL,
    r_squared           REAL,
    created_at          REAL NOT NULL
) STRICT;

-- table iterations
CREATE TABLE iterations (
    run_id        INTEGER NOT NULL,
    step          INTEGER NOT NULL,             -- 1-based global step
    loss          REAL,                         -- NULL when the loss was NaN (SQLite cannot store NaN)
    learning_rate REAL,
    PRIMARY KEY (run_id, step)
) STRICT, WITHOUT ROWID;

-- table logbook_migrations
CREATE TABLE logbook_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at REAL NOT NULL
) STRICT;

-- table params
CREATE TABLE params (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key    TEXT NOT NULL,
    value  ANY,
    PRIMARY KEY (run_id, key)
) STRICT, WITHOUT ROWID;

-- table runs
CREATE TABLE "runs" (
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

-- table sweeps
CREATE TABLE "sweeps" (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    method         TEXT NOT NULL CHECK (method IN ('grid', 'random', 'single', 'tpe')),
    metric_name    TEXT NOT NULL,
    metric_goal    TEXT NOT NULL CHECK (metric_goal IN ('maximize', 'minimize')),
    spec           TEXT NOT NULL,               -- the specification as JSON
    planned_trials INTEGER NOT NULL,
    created_at     REAL NOT NULL
) STRICT;

-- table weights
CREATE TABLE weights (
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('initial', 'final')),
    position INTEGER NOT NULL,                  -- order within the model
    name     TEXT NOT NULL,                     -- e.g. 'layers.0.weight'
    role     TEXT NOT NULL CHECK (role IN ('parameter', 'buffer')),
    shape    TEXT NOT NULL,                     -- JSON array, e.g. [128,64]
    dtype    TEXT NOT NULL DEFAULT 'F32',
    data     BLOB NOT NULL,                     -- little-endian float32, row-major
    PRIMARY KEY (run_id, kind, name)
) STRICT;

-- trigger runs_delete_iterations
CREATE TRIGGER runs_delete_iterations AFTER DELETE ON runs
BEGIN
    DELETE FROM iterations WHERE run_id = OLD.id;
END;

-- view iteration_log
CREATE VIEW iteration_log AS
SELECT i.run_id,
       i.step,
       (i.step - 1) / r.steps_per_epoch + 1 AS epoch,
       (i.step - 1) % r.steps_per_epoch     AS batch_index,
       i.loss,
       COALESCE(i.learning_rate, r.learning_rate) AS learning_rate
FROM iterations AS i
JOIN runs AS r ON r.id = i.run_id;

-- view run_summary
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
