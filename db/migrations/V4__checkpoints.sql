-- The latest epoch checkpoint of each job: a later lease of the job resumes its level from there.
-- One row per job, replaced by each newer checkpoint; the bytes are an artifact the job uploaded.
CREATE TABLE job_checkpoint (
    job_id        uuid PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    sha256        text NOT NULL REFERENCES artifact (sha256),
    epoch         integer NOT NULL CHECK (epoch >= 1),
    step          bigint NOT NULL CHECK (step >= 1),
    fencing_token bigint NOT NULL,       -- the lease that recorded it
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
