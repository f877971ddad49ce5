-- Teams, tokens, experiments, the job queue, tickets, metrics and artifacts.

CREATE TABLE team (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 100),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Bearer tokens are stored as SHA-256 hashes; the prefix identifies a token in listings.
CREATE TABLE api_token (
    id           uuid PRIMARY KEY,
    token_hash   text NOT NULL UNIQUE,
    prefix       text NOT NULL,
    name         text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('platform-admin', 'user', 'worker')),
    team_id      uuid REFERENCES team (id),
    role         text CHECK (role IN ('admin', 'member', 'viewer')),
    worker_pool  text,
    created_by   uuid REFERENCES api_token (id),   -- the token that issued this one
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    CHECK ((kind = 'user') = (team_id IS NOT NULL AND role IS NOT NULL)),
    CHECK ((kind = 'worker') = (worker_pool IS NOT NULL))
);
CREATE INDEX api_token_team ON api_token (team_id, created_at);

CREATE TABLE experiment (
    id             uuid PRIMARY KEY,
    team_id        uuid NOT NULL REFERENCES team (id),
    name           text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    spec           jsonb NOT NULL,          -- as submitted
    resolved_spec  jsonb NOT NULL,          -- every default filled in
    spec_hash      text NOT NULL,           -- SHA-256 of the values that differ from the defaults
    schema_version integer NOT NULL,
    created_by     uuid REFERENCES api_token (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, spec_hash)
);
CREATE INDEX experiment_team_created ON experiment (team_id, created_at DESC);

-- A replicate is one seed's lineage inside an experiment.
CREATE TABLE replicate (
    experiment_id uuid NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    seed          bigint NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (experiment_id, seed)
);

CREATE SEQUENCE fencing_token_seq;

CREATE TABLE job (
    id               uuid PRIMARY KEY,
    experiment_id    uuid NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    kind             text NOT NULL,
    seed             bigint NOT NULL,
    level            integer NOT NULL,
    parent_ticket_id uuid,
    pool             text NOT NULL DEFAULT 'default',
    status           text NOT NULL CHECK (status IN ('queued', 'leased', 'succeeded', 'failed', 'cancelled')),
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL DEFAULT 3,
    available_at     timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    leased_by_token  uuid REFERENCES api_token (id),
    lease_expires_at timestamptz,
    fencing_token    bigint,
    cancel_requested boolean NOT NULL DEFAULT false,
    progress         jsonb,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    -- a leased job always has an expiry and the fencing token of its current lease
    CHECK (status <> 'leased' OR (lease_expires_at IS NOT NULL AND fencing_token IS NOT NULL))
);
CREATE INDEX job_queue ON job (pool, available_at, created_at) WHERE status = 'queued';
CREATE INDEX job_expiry ON job (lease_expires_at) WHERE status = 'leased';
CREATE INDEX job_experiment ON job (experiment_id, created_at);

CREATE TABLE artifact (
    sha256      text PRIMARY KEY,
    size_bytes  bigint NOT NULL,
    media_type  text NOT NULL,
    storage_key text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Which artifacts a job may read (inputs) and which it uploaded (outputs).
CREATE TABLE job_artifact (
    job_id  uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    sha256  text NOT NULL REFERENCES artifact (sha256),
    role    text NOT NULL CHECK (role IN ('input', 'output')),
    PRIMARY KEY (job_id, sha256, role)
);

CREATE TABLE ticket (
    id                 uuid PRIMARY KEY,
    experiment_id      uuid NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    seed               bigint NOT NULL,
    level              integer NOT NULL,
    parent_ticket_id   uuid REFERENCES ticket (id),
    job_id             uuid NOT NULL UNIQUE REFERENCES job (id),
    mask_sha256        text NOT NULL REFERENCES artifact (sha256),
    rewind_sha256      text NOT NULL REFERENCES artifact (sha256),
    trained_sha256     text NOT NULL REFERENCES artifact (sha256),
    prunable_weights   bigint NOT NULL,
    remaining_prunable bigint NOT NULL,
    total_parameters   bigint NOT NULL,
    remaining_total    bigint NOT NULL,
    layers             jsonb NOT NULL,
    provenance         jsonb NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (experiment_id, seed, level)
);
CREATE INDEX ticket_parent ON ticket (parent_ticket_id);

-- an IMP level names the ticket it starts from (job is created before ticket, so the key comes here)
ALTER TABLE job ADD CONSTRAINT job_parent_ticket_fk FOREIGN KEY (parent_ticket_id) REFERENCES ticket (id);

CREATE TABLE metric (
    id          bigserial PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES ticket (id) ON DELETE CASCADE,
    dataset     text NOT NULL,
    split       text NOT NULL,
    name        text NOT NULL,
    value       double precision NOT NULL,
    conventions jsonb NOT NULL DEFAULT '{}',
    details     jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX metric_ticket ON metric (ticket_id);
