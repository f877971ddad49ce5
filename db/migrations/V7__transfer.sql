-- Transfer jobs: a source ticket's mask and rewind weights retrained on another dataset
-- (kind 'transfer'), or the same per-layer densities at random positions ('transfer-random').
-- The job's parent_ticket_id is the source ticket, in another experiment; the ticket it makes has
-- that parent too.
ALTER TABLE ticket DROP CONSTRAINT ticket_kind_check;
ALTER TABLE ticket ADD CONSTRAINT ticket_kind_check CHECK (kind IN ('imp', 'control-reinit', 'control-layer-permuted',
                                                                   'control-global-permuted', 'calibrated', 'snapshot',
                                                                   'transfer', 'transfer-random'));
