-- column epochs.run_id bigint NO 
-- column epochs.epoch bigint NO 
-- column epochs.step bigint NO 
-- column epochs.train_loss double precision YES 
-- column epochs.train_accuracy double precision YES 
-- column epochs.validation_loss double precision YES 
-- column epochs.validation_accuracy double precision YES 
-- column epochs.learning_rate double precision NO 
-- column epochs.seconds double precision NO 
-- column epochs.samples_per_second double precision NO 
-- column evaluations.id bigint NO 
-- column evaluations.run_id bigint NO 
-- column evaluations.split text NO 
-- column evaluations.epoch bigint NO 
-- column evaluations.sample_count bigint NO 
-- column evaluations.loss double precision YES 
-- column evaluations.accuracy double precision YES 
-- column evaluations.confusion text YES 
-- column evaluations.mean_squared_error double precision YES 
-- column evaluations.mean_absolute_error double precision YES 
-- column evaluations.r_squared double precision YES 
-- column evaluations.created_at double precision NO 
-- column iteration_blocks.run_id bigint NO 
-- column iteration_blocks.first_step bigint NO 
-- column iteration_blocks.last_step bigint NO 
-- column iteration_blocks.losses ARRAY NO 
-- column iteration_blocks.learning_rates ARRAY YES 
-- column iteration_log.run_id bigint YES 
-- column iteration_log.step bigint YES 
-- column iteration_log.epoch bigint YES 
-- column iteration_log.batch_index bigint YES 
-- column iteration_log.loss double precision YES 
-- column iteration_log.learning_rate double precision YES 
-- column iterations.run_id bigint YES 
-- column iterations.step bigint YES 
-- column iterations.loss double precision YES 
-- column iterations.learning_rate double precision YES 
-- column logbook_migrations.version bigint NO 
-- column logbook_migrations.name text NO 
-- column logbook_migrations.applied_at double precision NO 
-- column params.run_id bigint NO 
-- column params.key text NO 
-- column params.value jsonb YES 
-- column run_summary.run_id bigint YES 
-- column run_summary.name text YES 
-- column run_summary.sweep_id bigint YES 
-- column run_summary.trial_index bigint YES 
-- column run_summary.status text YES 
-- column run_summary.stop_reason text YES 
-- column run_summary.dataset text YES 
-- column run_summary.model text YES 
-- column run_summary.batch_size bigint YES 
-- column run_summary.learning_rate double precision YES 
-- column run_summary.initializer text YES 
-- column run_summary.epochs bigint YES 
-- column run_summary.optimizer text YES 
-- column run_summary.momentum double precision YES 
-- column run_summary.weight_decay double precision YES 
-- column run_summary.lr_schedule text YES 
-- column run_summary.activation text YES 
-- column run_summary.batch_norm bigint YES 
-- column run_summary.seed bigint YES 
-- column run_summary.epochs_completed bigint YES 
-- column run_summary.steps_completed bigint YES 
-- column run_summary.train_loss double precision YES 
-- column run_summary.train_accuracy double precision YES 
-- column run_summary.validation_loss double precision YES 
-- column run_summary.validation_accuracy double precision YES 
-- column run_summary.test_loss double precision YES 
-- column run_summary.test_accuracy double precision YES 
-- column run_summary.duration double precision YES 
-- column run_summary.started_at double precision YES 
-- column run_summary.ended_at double precision YES 
-- column run_summary.worker text YES 
-- column run_summary.host text YES 
-- column run_summary.parent_run_id bigint YES 
-- column run_summary.pruned_rule text YES 
-- column run_summary.pruned_rung bigint YES 
-- column runs.id bigint NO 
-- column runs.name text NO 
-- column runs.sweep_id bigint YES 
-- column runs.trial_index bigint YES 
-- column runs.status text NO 
-- column runs.seed bigint NO 
-- column runs.model text NO 
-- column runs.layers text NO 
-- column runs.activation text NO 
-- column runs.batch_norm bigint NO 
-- column runs.parameter_count bigint YES 
-- column runs.dataset text NO 
-- column runs.dataset_hash text YES 
-- column runs.train_size bigint YES 
-- column runs.validation_size bigint YES 
-- column runs.test_size bigint YES 
-- column runs.batch_size bigint NO 
-- column runs.learning_rate double precision NO 
-- column runs.initializer text NO 
-- column runs.epochs bigint NO 
-- column runs.optimizer text NO 
-- column runs.momentum double precision NO 
-- column runs.weight_decay double precision NO 
-- column runs.lr_schedule text NO 
-- column runs.loss text NO 
-- column runs.steps_per_epoch bigint YES 
-- column runs.config text NO 
-- column runs.parent_run_id bigint YES 
-- column runs.worker text YES 
-- column runs.host text YES 
-- column runs.logbook_version text NO 
-- column runs.created_at double precision NO 
-- column runs.started_at double precision YES 
-- column runs.ended_at double precision YES 
-- column runs.duration double precision YES 
-- column runs.heartbeat_at double precision YES 
-- column runs.stop_reason text YES 
-- column runs.error text YES 
-- column runs.epochs_completed bigint YES 
-- column runs.steps_completed bigint YES 
-- column runs.final_train_loss double precision YES 
-- column runs.final_train_accuracy double precision YES 
-- column runs.final_validation_loss double precision YES 
-- column runs.final_validation_accuracy double precision YES 
-- column runs.test_loss double precision YES 
-- column runs.test_accuracy double precision YES 
-- column runs.pruned_rule text YES 
-- column runs.pruned_rung bigint YES 
-- column runs.pruned_detail text YES 
-- column sweeps.id bigint NO 
-- column sweeps.name text NO 
-- column sweeps.method text NO 
-- column sweeps.metric_name text NO 
-- column sweeps.metric_goal text NO 
-- column sweeps.spec text NO 
-- column sweeps.planned_trials bigint NO 
-- column sweeps.created_at double precision NO 
-- column weights.run_id bigint NO 
-- column weights.kind text NO 
-- column weights.position bigint NO 
-- column weights.name text NO 
-- column weights.role text NO 
-- column weights.shape text NO 
-- column weights.dtype text NO 'F32'::text
-- column weights.data bytea NO 
-- constraint epochs epochs_pkey PRIMARY KEY (run_id, epoch)
-- constraint epochs epochs_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs(id) ON DELETE CASCADE
-- constraint evaluations evaluations_pkey PRIMARY KEY (id)
-- constraint evaluations evaluations_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs(id) ON DELETE CASCADE
-- constraint iteration_blocks iteration_blocks_check CHECK ((((cardinality(losses) >= 1) AND (cardinality(losses) <= 256)) AND (last_step = ((first_step + cardinality(losses)) - 1))))
-- constraint iteration_blocks iteration_blocks_check1 CHECK (((learning_rates IS NULL) OR (cardinality(learning_rates) = cardinality(losses))))
-- constraint iteration_blocks iteration_blocks_pkey PRIMARY KEY (run_id, first_step)
-- constraint iteration_blocks iteration_blocks_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs(id) ON DELETE CASCADE
-- constraint logbook_migrations logbook_migrations_pkey PRIMARY KEY (version)
-- constraint params params_pkey PRIMARY KEY (run_id, key)
-- constraint params params_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs(id) ON DELETE CASCADE
-- constraint runs runs_batch_norm_check CHECK ((batch_norm = ANY (ARRAY[(0)::bigint, (1)::bigint])))
-- constraint runs runs_parent_run_id_fkey FOREIGN KEY (parent_run_id) REFERENCES runs(id) ON DELETE SET NULL
-- constraint runs runs_pkey PRIMARY KEY (id)
-- constraint runs runs_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'running'::text, 'completed'::text, 'failed'::text, 'diverged'::text, 'stopped'::text, 'interrupted'::text, 'pruned'::text])))
-- constraint runs runs_sweep_id_fkey FOREIGN KEY (sweep_id) REFERENCES sweeps(id) ON DELETE CASCADE
-- constraint sweeps sweeps_method_check CHECK ((method = ANY (ARRAY['grid'::text, 'random'::text, 'single'::text, 'tpe'::text])))
-- constraint sweeps sweeps_metric_goal_check CHECK ((metric_goal = ANY (ARRAY['maximize'::text, 'minimize'::text])))
-- constraint sweeps sweeps_pkey PRIMARY KEY (id)
-- constraint weights weights_kind_check CHECK ((kind = ANY (ARRAY['initial'::text, 'final'::text])))
-- constraint weights weights_pkey PRIMARY KEY (run_id, kind, name)
-- constraint weights weights_role_check CHECK ((role = ANY (ARRAY['parameter'::text, 'buffer'::text])))
-- constraint weights weights_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs(id) ON DELETE CASCADE
-- index epochs_pkey CREATE UNIQUE INDEX epochs_pkey ON epochs USING btree (run_id, epoch)
-- index evaluations_by_run CREATE INDEX evaluations_by_run ON evaluations USING btree (run_id, split, epoch)
-- index evaluations_pkey CREATE UNIQUE INDEX evaluations_pkey ON evaluations USING btree (id)
-- index iteration_blocks_pkey CREATE UNIQUE INDEX iteration_blocks_pkey ON iteration_blocks USING btree (run_id, first_step)
-- index logbook_migrations_pkey CREATE UNIQUE INDEX logbook_migrations_pkey ON logbook_migrations USING btree (version)
-- index params_by_key CREATE INDEX params_by_key ON params USING btree (key)
-- index params_pkey CREATE UNIQUE INDEX params_pkey ON params USING btree (run_id, key)
-- index runs_by_parent CREATE INDEX runs_by_parent ON runs USING btree (parent_run_id)
-- index runs_by_status CREATE INDEX runs_by_status ON runs USING btree (status, heartbeat_at)
-- index runs_by_sweep CREATE INDEX runs_by_sweep ON runs USING btree (sweep_id, status, trial_index)
-- index runs_by_test_accuracy CREATE INDEX runs_by_test_accuracy ON runs USING btree (test_accuracy)
-- index runs_pkey CREATE UNIQUE INDEX runs_pkey ON runs USING btree (id)
-- index sweeps_pkey CREATE UNIQUE INDEX sweeps_pkey ON sweeps USING btree (id)
-- index weights_pkey CREATE UNIQUE INDEX weights_pkey ON weights USING btree (run_id, kind, name)
-- view iteration_log
 SELECT i.run_id,
    i.step,
    (((i.step - 1) / NULLIF(r.steps_per_epoch, 0)) + 1) AS epoch,
    ((i.step - 1) % NULLIF(r.steps_per_epoch, 0)) AS batch_index,
    i.loss,
    COALESCE(i.learning_rate, r.learning_rate) AS learning_rate
   FROM (iterations i
     JOIN runs r ON ((r.id = i.run_id)));
-- view iterations
 SELECT b.run_id,
    ((b.first_step + u."position") - 1) AS step,
    u.loss,
    u.learning_rate
   FROM iteration_blocks b,
    LATERAL UNNEST(b.losses, b.learning_rates) WITH ORDINALITY u(loss, learning_rate, "position");
-- view run_summary
 SELECT r.id AS run_id,
    r.name,
    r.sweep_id,
    r.trial_index,
        CASE
            WHEN ((r.status = 'running'::text) AND (COALESCE(r.heartbeat_at, r.created_at) < ((EXTRACT(epoch FROM now()) - (10)::numeric))::double precision)) THEN 'interrupted'::text
            ELSE r.status
        END AS status,
        CASE
            WHEN ((r.status = 'running'::text) AND (COALESCE(r.heartbeat_at, r.created_at) < ((EXTRACT(epoch FROM now()) - (10)::numeric))::double precision)) THEN 'heartbeat_lost'::text
            ELSE r.stop_reason
        END AS stop_reason,
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
   FROM runs r;
-- trigger iteration_blocks_check_overlap iteration_blocks BEFORE INSERT
-- trigger iterations_insert iterations INSTEAD OF INSERT
