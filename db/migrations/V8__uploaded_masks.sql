-- Masks made elsewhere: a team uploads a mask (safetensors, the model's reference tensor names),
-- optionally with the weights to start from, validated against the architecture; transfer jobs then
-- retrain it like a ticket's mask. Such a job (kind 'transfer' or 'transfer-random', level 0) names
-- the mask in source_mask_id instead of a parent ticket, and the ticket it makes keeps the same id.
CREATE TABLE uploaded_mask (
    id                 uuid PRIMARY KEY,
    team_id            uuid NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    name               text NOT NULL,
    description        text,
    model              text NOT NULL,
    num_classes        integer NOT NULL CHECK (num_classes >= 1),
    mask_sha256        text NOT NULL REFERENCES artifact (sha256),   -- stored as U8, the model's tensor order
    uploaded_sha256    text NOT NULL,                                -- the file as it was uploaded
    weights_sha256     text REFERENCES artifact (sha256),            -- the weights to start from, if given
    prunable_weights   bigint NOT NULL,
    remaining_prunable bigint NOT NULL,
    layers             jsonb NOT NULL,
    ignored_tensors    text[] NOT NULL DEFAULT '{}',                 -- all-ones masks of tensors never pruned
    created_by         uuid REFERENCES api_token (id),
    created_at         timestamptz NOT NULL DEFAULT now()
);
-- the same files for the same model are one mask of a team; weights may be absent (PostgreSQL 14,
-- the embedded server, has no NULLS NOT DISTINCT)
CREATE UNIQUE INDEX uploaded_mask_identity
    ON uploaded_mask (team_id, model, num_classes, mask_sha256, coalesce(weights_sha256, ''));
CREATE INDEX uploaded_mask_team ON uploaded_mask (team_id, created_at);

ALTER TABLE job ADD COLUMN source_mask_id uuid REFERENCES uploaded_mask (id);
ALTER TABLE job ADD CONSTRAINT job_one_source CHECK (source_mask_id IS NULL OR parent_ticket_id IS NULL);
ALTER TABLE ticket ADD COLUMN source_mask_id uuid REFERENCES uploaded_mask (id);
CREATE INDEX ticket_source_mask ON ticket (source_mask_id) WHERE source_mask_id IS NOT NULL;
