-- Evaluate and calibrate jobs; calibrated tickets; metrics tied to the job that measured them.
--
-- An evaluate job scores one ticket (parent_ticket_id) on a dataset and split named in its params;
-- its metrics are attached to that ticket. A calibrate job fits post-hoc temperature scaling of
-- one ticket and records a ticket of kind 'calibrated' (parent_ticket_id = the uncalibrated one).

ALTER TABLE job ADD COLUMN params jsonb;             -- the kind's request, with defaults filled in
ALTER TABLE job ADD COLUMN request_hash text;        -- SHA-256 of the canonical params: resubmission finds the job
ALTER TABLE job ADD CONSTRAINT job_ticket_kinds
    CHECK (kind NOT IN ('evaluate', 'calibrate') OR (parent_ticket_id IS NOT NULL AND params IS NOT NULL
                                                     AND request_hash IS NOT NULL));
CREATE UNIQUE INDEX job_live_request ON job (parent_ticket_id, kind, request_hash)
    WHERE request_hash IS NOT NULL AND status IN ('queued', 'leased', 'succeeded');

ALTER TABLE ticket DROP CONSTRAINT ticket_kind_check;
ALTER TABLE ticket ADD CONSTRAINT ticket_kind_check CHECK (kind IN ('imp', 'control-reinit', 'control-layer-permuted',
                                                                   'control-global-permuted', 'calibrated'));
-- a ticket may be calibrated several ways (other held-out data), so calibrated tickets are not one per level
ALTER TABLE ticket DROP CONSTRAINT ticket_experiment_seed_level_kind;
CREATE UNIQUE INDEX ticket_experiment_seed_level_kind ON ticket (experiment_id, seed, level, kind)
    WHERE kind <> 'calibrated';
-- method, fitted parameters (e.g. temperature), the data it was fitted on and how it was folded into the weights
ALTER TABLE ticket ADD COLUMN calibration jsonb;
ALTER TABLE ticket ADD CONSTRAINT ticket_calibration_kind CHECK ((kind = 'calibrated') = (calibration IS NOT NULL));

ALTER TABLE metric ADD COLUMN job_id uuid REFERENCES job (id) ON DELETE CASCADE;
UPDATE metric m SET job_id = t.job_id FROM ticket t WHERE m.ticket_id = t.id;
ALTER TABLE metric ALTER COLUMN job_id SET NOT NULL;
CREATE INDEX metric_job ON metric (job_id);
CREATE INDEX metric_ticket_dataset ON metric (ticket_id, dataset, split, name);
