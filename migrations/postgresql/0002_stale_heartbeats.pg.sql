-- Logbook schema for PostgreSQL, version 2 (as ../0002_stale_heartbeats.sql): run_summary, with worker, host and
-- parent_run_id, showing a run still 'running' whose heartbeat is over 10 s old — by the server's clock, now() —
-- as interrupted (stop reason 'heartbeat_lost'); the index on parent_run_id.
CREATE VIEW run_summary AS
SELECT r.id AS run_id,
       r.name,
       r.sweep_id,
       r.trial_index,
       CASE WHEN r.status = 'running' AND COALESCE(r.heartbeat_at, r.created_at) < extract(epoch FROM now()) - 10
            THEN 'interrupted' ELSE r.status END AS status,
       CASE WHEN r.status = 'running' AND COALESCE(r.heartbeat_at, r.created_at) < extract(epoch FROM now()) - 10
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

CREATE INDEX runs_by_parent ON runs (parent_run_id);
