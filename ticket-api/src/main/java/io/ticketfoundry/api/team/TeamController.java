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
import org.springframework.web.bind.annotation.PutMapping;
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
            description = "The platform admin or an admin of the team. For a new person named after the token with `role`, "
                    + "or for an existing `person` (whom `role`, if given, adds to the team or moves to that role); "
                    + "`expiresAt` (RFC 3339) ends it. The token acts in this team. Its value is in this response only.")
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
            description = "The platform admin (any token but the last platform admin token), an admin of the token's team, "
                    + "or the token's own person.")
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

    @PostMapping("/me/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Issue a token for yourself",
            description = "User tokens only: a new token of the calling person, acting in `team` (one of the person's teams; "
                    + "default the calling token's), until `expiresAt` (default never). Its value is in this response only.")
    public TeamViews.IssuedToken issueOwnToken(@RequestBody TeamRequests.CreateOwnToken request) {
        return teams.issueOwnToken(Caller.current(), request);
    }

    @GetMapping("/me/tokens")
    @Operation(summary = "Your tokens", description = "Every token of the calling person, in every team; prefixes only.")
    public List<TeamViews.Token> listOwnTokens() {
        return teams.listOwnTokens(Caller.current());
    }

    @GetMapping("/teams/{teamId}/members")
    @Operation(summary = "A team's members", description = "Members of the team (any role) and the platform admin.")
    public List<TeamViews.Member> listMembers(@PathVariable UUID teamId) {
        return teams.listMembers(Caller.current(), teamId);
    }

    @PutMapping("/teams/{teamId}/members/{person}")
    @Operation(summary = "Add a person to a team or change their role",
            description = "The platform admin or an admin of the team. `person` is a person's id or name; an unknown name "
                    + "is a new person (who then gets tokens with `POST /teams/{teamId}/tokens` and `person`). A person "
                    + "may be in several teams; a token acts in one, named per request by the `X-Team` header. 409 when "
                    + "the team would have no admin left.")
    public TeamViews.Member putMember(@PathVariable UUID teamId, @PathVariable String person,
            @RequestBody TeamRequests.Membership request) {
        return teams.putMember(Caller.current(), teamId, person, request);
    }

    @DeleteMapping("/teams/{teamId}/members/{person}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a person from a team",
            description = "The platform admin or an admin of the team; the person's tokens lose the team at once.")
    public void removeMember(@PathVariable UUID teamId, @PathVariable String person) {
        teams.removeMember(Caller.current(), teamId, person);
    }

    @GetMapping("/teams/{teamId}/quota")
    @Operation(summary = "A team's queue quota", description = "Members of the team and the platform admin.")
    public TeamViews.Quota quota(@PathVariable UUID teamId) {
        return teams.quota(Caller.current(), teamId);
    }

    @PutMapping("/teams/{teamId}/quota")
    @Operation(summary = "Set a team's queue quota",
            description = "Platform admin only. Workers lease by fair share: the team with the fewest running jobs per unit "
                    + "of shareWeight first, teams at maxRunningJobs skipped; a submission that would exceed maxActiveJobs "
                    + "gets a 429 and queues nothing.")
    public TeamViews.Quota setQuota(@PathVariable UUID teamId, @RequestBody TeamRequests.Quota request) {
        return teams.setQuota(Caller.current(), teamId, request);
    }

    @GetMapping("/me")
    @Operation(summary = "Who this token is",
            description = "Its kind, its person, the team it acts in for this request (its own or `X-Team`) with the role "
                    + "there, every team of the person (or the worker pool), and when it expires.")
    public TeamViews.Me me() {
        return teams.me(Caller.current());
    }
}
