-- People in teams, tokens per person with expiry, experiment sharing, ticket aliases and tags with
-- their history, an audit log, and per-team queue quotas.

-- A person belongs to any number of teams, with one role in each; a user token is a person's, and
-- acts in the team it was issued for unless the request names another of the person's teams.
CREATE TABLE person (
    id         uuid PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE membership (
    person_id  uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    team_id    uuid NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (person_id, team_id)
);
CREATE INDEX membership_team ON membership (team_id);

ALTER TABLE api_token ADD COLUMN person_id uuid REFERENCES person (id) ON DELETE CASCADE;
ALTER TABLE api_token ADD COLUMN expires_at timestamptz;

-- every existing user token becomes a person of its own, a member of its team with its role
INSERT INTO person (id, name, created_at)
SELECT id, name || ' (' || prefix || ')', created_at FROM api_token WHERE kind = 'user';
INSERT INTO membership (person_id, team_id, role, created_at)
SELECT id, team_id, role, created_at FROM api_token WHERE kind = 'user';
UPDATE api_token SET person_id = id WHERE kind = 'user';

-- roles live in memberships now (so a change takes effect for every token at once); dropping the
-- column drops the check that tied it to the kind
ALTER TABLE api_token DROP COLUMN role;
ALTER TABLE api_token ADD CONSTRAINT api_token_user_person
    CHECK ((kind = 'user') = (person_id IS NOT NULL AND team_id IS NOT NULL));
CREATE INDEX api_token_person ON api_token (person_id, created_at);

-- Experiments are private to their team unless shared read-only with named teams or made public
-- (readable by every authenticated user).
ALTER TABLE experiment ADD COLUMN visibility text NOT NULL DEFAULT 'private'
    CHECK (visibility IN ('private', 'public'));
CREATE TABLE experiment_share (
    experiment_id uuid NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    team_id       uuid NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    created_by    uuid REFERENCES api_token (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (experiment_id, team_id)
);
CREATE INDEX experiment_share_team ON experiment_share (team_id);

-- An alias names one ticket of an experiment and can be moved; a tag marks any number of tickets.
CREATE TABLE ticket_alias (
    experiment_id uuid NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    alias         text NOT NULL CHECK (alias ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    ticket_id     uuid NOT NULL REFERENCES ticket (id) ON DELETE CASCADE,
    updated_by    uuid REFERENCES api_token (id),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (experiment_id, alias)
);
CREATE INDEX ticket_alias_ticket ON ticket_alias (ticket_id);

CREATE TABLE ticket_tag (
    ticket_id  uuid NOT NULL REFERENCES ticket (id) ON DELETE CASCADE,
    tag        text NOT NULL CHECK (tag ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    created_by uuid REFERENCES api_token (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ticket_id, tag)
);
CREATE INDEX ticket_tag_tag ON ticket_tag (tag);

-- Every change of an alias or tag, kept when the ticket goes (no foreign key on the tickets).
CREATE TABLE label_event (
    id                 bigserial PRIMARY KEY,
    experiment_id      uuid NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    label_kind         text NOT NULL CHECK (label_kind IN ('alias', 'tag')),
    label              text NOT NULL,
    action             text NOT NULL CHECK (action IN ('set', 'moved', 'removed')),
    ticket_id          uuid,
    previous_ticket_id uuid,
    actor_token_id     uuid,
    actor_name         text,
    at                 timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX label_event_label ON label_event (experiment_id, label_kind, label, id);

-- Who did what: kept after the actor, team or target is gone (no foreign keys).
CREATE TABLE audit_event (
    id             bigserial PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    actor_token_id uuid,
    actor_name     text,
    team_id        uuid,
    action         text NOT NULL,
    target_kind    text NOT NULL,
    target_id      text NOT NULL,
    details        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_event_team ON audit_event (team_id, id DESC);

-- Queue quotas: at most this many jobs leased (running) and queued-or-running at once; null = no
-- limit. share_weight scales the team's fair share of the workers.
ALTER TABLE team ADD COLUMN max_running_jobs integer CHECK (max_running_jobs > 0);
ALTER TABLE team ADD COLUMN max_active_jobs integer CHECK (max_active_jobs > 0);
ALTER TABLE team ADD COLUMN share_weight integer NOT NULL DEFAULT 1 CHECK (share_weight BETWEEN 1 AND 1000);
