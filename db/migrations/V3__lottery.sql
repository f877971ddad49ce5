-- Controls and sweeps.
--
-- A control job trains one control of an IMP ticket (same mask with new weights, mask permuted
-- within layers, mask permuted across layers with new weights); it records a ticket of its own
-- kind whose parent_ticket_id is the IMP ticket it controls for.

ALTER TABLE job ADD COLUMN control text
    CHECK (control IN ('reinit', 'layer-permuted', 'global-permuted'));
ALTER TABLE job ADD CONSTRAINT job_control_kind CHECK ((kind = 'control') = (control IS NOT NULL));

ALTER TABLE ticket ADD COLUMN kind text NOT NULL DEFAULT 'imp'
    CHECK (kind IN ('imp', 'control-reinit', 'control-layer-permuted', 'control-global-permuted'));
ALTER TABLE ticket DROP CONSTRAINT ticket_experiment_id_seed_level_key;
ALTER TABLE ticket ADD CONSTRAINT ticket_experiment_seed_level_kind UNIQUE (experiment_id, seed, level, kind);

-- A sweep: one request that created (or found) a grid of experiments.
CREATE TABLE sweep (
    id          uuid PRIMARY KEY,
    team_id     uuid NOT NULL REFERENCES team (id),
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    request     jsonb NOT NULL,
    created_by  uuid REFERENCES api_token (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sweep_team_created ON sweep (team_id, created_at DESC);

CREATE TABLE sweep_experiment (
    sweep_id      uuid NOT NULL REFERENCES sweep (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    experiment_id uuid NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    point         jsonb NOT NULL,          -- the grid values of this experiment, by field path
    PRIMARY KEY (sweep_id, position)
);
