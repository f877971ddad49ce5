-- A token a team admin issues for an existing person reaches that team only, whatever other teams
-- the person belongs to; tokens people issue for themselves reach all their teams.
ALTER TABLE api_token ADD COLUMN team_scoped boolean NOT NULL DEFAULT false;
