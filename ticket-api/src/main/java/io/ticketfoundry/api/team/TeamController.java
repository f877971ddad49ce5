package io.ticketfoundry.api.team;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Teams and tokens", description = "Teams, their bearer tokens, worker tokens, and who a token is")
public class TeamController {

    private final TeamService teams;

    public TeamController(TeamService teams) {
        this.teams = teams;
    }

    @PostMapping("/teams")
    @Operation(summary = "Create a team", description = "Platform admin only. 409 if the name is taken.")
    public ResponseEntity<TeamViews.Team> createTeam(@RequestBody TeamRequests.CreateTeam request) {
        TeamViews.Team team = teams.createTeam(Caller.current(), request);
        return ResponseEntity.created(URI.create("/api/v1/teams/" + team.id())).body(team);
    }

    @GetMapping("/teams")
    @Operation(summary = "List teams", description = "The platform admin sees every team, a user their own.")
    public List<TeamViews.Team> listTeams() {
        return teams.listTeams(Caller.current());
    }

    @PostMapping("/teams/{teamId}/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Issue a team token",
            description = "The platform admin or an admin of the team. The token's value is in this response only.")
    public TeamViews.IssuedToken issueTeamToken(@PathVariable UUID teamId, @RequestBody TeamRequests.CreateToken request) {
        return teams.issueTeamToken(Caller.current(), teamId, request);
    }

    @GetMapping("/teams/{teamId}/tokens")
    @Operation(summary = "List a team's tokens", description = "The platform admin or an admin of the team; prefixes only.")
    public List<TeamViews.Token> listTeamTokens(@PathVariable UUID teamId) {
        return teams.listTeamTokens(Caller.current(), teamId);
    }

    @DeleteMapping("/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke a token",
            description = "The platform admin (any token but the last platform admin token) or an admin of the token's team.")
    public void revoke(@PathVariable UUID id) {
        teams.revoke(Caller.current(), id);
    }

    @PostMapping("/worker-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Issue a worker token",
            description = "Platform admin only. The token leases jobs of its pool; its value is in this response only.")
    public TeamViews.IssuedToken issueWorkerToken(@RequestBody TeamRequests.CreateWorkerToken request) {
        return teams.issueWorkerToken(Caller.current(), request);
    }

    @GetMapping("/worker-tokens")
    @Operation(summary = "List worker tokens", description = "Platform admin only; prefixes only.")
    public List<TeamViews.Token> listWorkerTokens() {
        return teams.listWorkerTokens(Caller.current());
    }

    @GetMapping("/me")
    @Operation(summary = "Who this token is", description = "Its kind, team and role (or worker pool).")
    public TeamViews.Me me() {
        return teams.me(Caller.current());
    }
}
