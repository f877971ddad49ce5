-- Sparse training: snapshot tickets.
--
-- A sparse-training job (level 0 of an experiment with a sparseTraining section) records its final
-- ticket (kind 'imp') and, at the training steps its spec lists, tickets of kind 'snapshot': the
-- mask and weights at that step. They form a chain of the mask's evolution: each snapshot's parent
-- is the snapshot before it (the first has none) and the final ticket's parent is the last one.
-- One job therefore records several tickets, and several tickets share (experiment, seed, level, kind).

ALTER TABLE ticket ADD COLUMN step bigint CHECK (step >= 1);   -- the training step of a snapshot
ALTER TABLE ticket DROP CONSTRAINT ticket_kind_check;
ALTER TABLE ticket ADD CONSTRAINT ticket_kind_check CHECK (kind IN ('imp', 'control-reinit', 'control-layer-permuted',
                                                                   'control-global-permuted', 'calibrated', 'snapshot'));
ALTER TABLE ticket ADD CONSTRAINT ticket_snapshot_step CHECK ((kind = 'snapshot') = (step IS NOT NULL));

-- one ticket per job, apart from the snapshots the job keeps besides it
ALTER TABLE ticket DROP CONSTRAINT ticket_job_id_key;
CREATE UNIQUE INDEX ticket_job_one ON ticket (job_id) WHERE kind <> 'snapshot';
CREATE INDEX ticket_job ON ticket (job_id);

DROP INDEX ticket_experiment_seed_level_kind;
CREATE UNIQUE INDEX ticket_experiment_seed_level_kind ON ticket (experiment_id, seed, level, kind)
    WHERE kind NOT IN ('calibrated', 'snapshot');
CREATE UNIQUE INDEX ticket_snapshot_step ON ticket (experiment_id, seed, level, step) WHERE kind = 'snapshot';
