-- Deleting experiments, tombstones, and the deployment's identity for export archives.
--
-- A deleted experiment goes with its jobs, checkpoints, labels and the tickets nothing else names.
-- A ticket that another experiment's ticket or job names as its parent (a transfer source), or that
-- such a ticket descends from, stays as a tombstone: its row with identity, counts, layers,
-- provenance and metrics, deleted_at set and no files (the artifact columns are null). The
-- experiment row then stays too (deleted_at set, spec kept) so the tombstones keep their spec.
ALTER TABLE experiment ADD COLUMN deleted_at timestamptz;
ALTER TABLE experiment ADD COLUMN deleted_by uuid REFERENCES api_token (id);

-- a deleted experiment no longer holds its spec hash: the same spec submitted again is a new experiment
ALTER TABLE experiment DROP CONSTRAINT experiment_team_id_spec_hash_key;
CREATE UNIQUE INDEX experiment_team_spec_hash ON experiment (team_id, spec_hash) WHERE deleted_at IS NULL;

ALTER TABLE ticket ADD COLUMN deleted_at timestamptz;
ALTER TABLE ticket ALTER COLUMN mask_sha256 DROP NOT NULL;
ALTER TABLE ticket ALTER COLUMN rewind_sha256 DROP NOT NULL;
ALTER TABLE ticket ALTER COLUMN trained_sha256 DROP NOT NULL;
ALTER TABLE ticket ADD CONSTRAINT ticket_files_unless_tombstone CHECK (
    deleted_at IS NULL AND mask_sha256 IS NOT NULL AND rewind_sha256 IS NOT NULL AND trained_sha256 IS NOT NULL
    OR deleted_at IS NOT NULL AND mask_sha256 IS NULL AND rewind_sha256 IS NULL AND trained_sha256 IS NULL);

-- what a deletion asks of every artifact it releases ("does anything still name it?") and of every
-- ticket ("does a job of another experiment start from it?") by index
CREATE INDEX ticket_mask_sha256 ON ticket (mask_sha256);
CREATE INDEX ticket_rewind_sha256 ON ticket (rewind_sha256);
CREATE INDEX ticket_trained_sha256 ON ticket (trained_sha256);
CREATE INDEX job_artifact_sha256 ON job_artifact (sha256);
CREATE INDEX job_checkpoint_sha256 ON job_checkpoint (sha256);
CREATE INDEX dataset_file_sha256 ON dataset_file (sha256);
CREATE INDEX uploaded_mask_mask_sha256 ON uploaded_mask (mask_sha256);
CREATE INDEX uploaded_mask_weights_sha256 ON uploaded_mask (weights_sha256) WHERE weights_sha256 IS NOT NULL;
CREATE INDEX job_parent_ticket ON job (parent_ticket_id) WHERE parent_ticket_id IS NOT NULL;

-- This deployment's identity, written into export archives as their source.
CREATE TABLE deployment (
    id         uuid PRIMARY KEY,
    singleton  boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO deployment (id) VALUES (gen_random_uuid());
