-- Logbook schema for PostgreSQL, version 3 (as ../0003_pruning.sql): status 'pruned' and method 'tpe'; runs record
-- pruned_rule, pruned_rung, pruned_detail; run_summary shows rule and rung. PostgreSQL changes the checks in place
-- (no table rebuild); run_summary is recreated with the two new columns at its end.
ALTER TABLE sweeps DROP CONSTRAINT sweeps_method_check;
ALTER TABLE sweeps ADD CONSTRAINT sweeps_method_check CHECK (method IN ('grid', 'random', 'single', 'tpe'));
ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check CHECK (status IN
    ('pending', 'running', 'completed', 'failed', 'diverged', 'stopped', 'interrupted', 'pruned'));
ALTER TABLE runs ADD COLUMN pruned_rule text, ADD COLUMN pruned_rung bigint, ADD COLUMN pruned_detail text;

DROP VIEW run_summary;
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
       r.parent_run_id,
       r.pruned_rule,
       r.pruned_rung
FROM runs AS r;

