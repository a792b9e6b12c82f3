-- Logbook schema, version 2: runs whose process died show as interrupted, and retries are found by their parent.
-- Applied once, forward only, inside one transaction.

-- run_summary also shows who ran each run (worker, host) and what it continues (parent_run_id: the run it re-ran,
-- was initialised from, or, for a sweep retry, the superseded attempt). It derives the status of a run whose
-- heartbeat went stale (still 'running' after its process died): 'interrupted', stop reason 'heartbeat_lost',
-- until a writer records it so (LogbookStore does on open).
DROP VIEW run_summary;
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
       r.parent_run_id
FROM runs AS r;

-- A sweep trial that was re-queued has a retry whose parent_run_id is the superseded attempt.
CREATE INDEX runs_by_parent ON runs (parent_run_id);
