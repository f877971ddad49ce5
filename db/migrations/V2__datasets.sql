-- Registered datasets beyond the base ones (which live in code: BaseDatasets in ticket-common).
-- A derived dataset is a recipe over a base or uploaded dataset; its id is "derived-" + the
-- SHA-256 of the recipe's canonical JSON. An uploaded dataset's id is "upload-" + the SHA-256 of
-- its canonical description (format, classes, shape, file hashes). Recipes over base datasets are
-- visible to every team (team_id NULL); uploads and recipes over them belong to one team.
CREATE TABLE dataset (
    id           text NOT NULL CHECK (id ~ '^(derived|upload)-[0-9a-f]{64}$'),
    team_id      uuid REFERENCES team (id) ON DELETE CASCADE,
    scope        text GENERATED ALWAYS AS (coalesce(team_id::text, 'global')) STORED,
    kind         text NOT NULL CHECK (kind IN ('derived', 'upload')),
    name         text CHECK (char_length(name) BETWEEN 1 AND 200),
    base         text,                    -- a derived dataset's base id
    description  jsonb NOT NULL,          -- the recipe, or the upload's format, classes, shape and files
    num_classes  integer NOT NULL,
    input_shape  integer[] NOT NULL,
    created_by   uuid REFERENCES api_token (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, id),
    CHECK ((kind = 'derived') = (base IS NOT NULL)),
    CHECK (kind = 'derived' OR team_id IS NOT NULL)
);
CREATE INDEX dataset_id ON dataset (id);

-- The artifact files of an uploaded dataset, by role (trainImages, ..., or train, test).
CREATE TABLE dataset_file (
    scope       text NOT NULL,
    dataset_id  text NOT NULL,
    role        text NOT NULL,
    sha256      text NOT NULL REFERENCES artifact (sha256),
    size_bytes  bigint NOT NULL,
    PRIMARY KEY (scope, dataset_id, role),
    FOREIGN KEY (scope, dataset_id) REFERENCES dataset (scope, id) ON DELETE CASCADE
);
