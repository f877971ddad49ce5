package io.ticketfoundry.api.team;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/** Turns {@code Authorization: Bearer tf_...} into a {@link Caller}; an unknown token stays anonymous (401 later). */
public class BearerTokenFilter extends OncePerRequestFilter {

    /** Names the team (id or name) a user token acts in for this request, when not the token's own. */
    public static final String TEAM_HEADER = "X-Team";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TokenService tokens;

    public BearerTokenFilter(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            try {
                tokens.resolve(header.substring(7).trim(), request.getHeader(TEAM_HEADER)).ifPresent(caller -> {
                    var authority = new SimpleGrantedAuthority("ROLE_" + caller.kind().name());
                    var authentication = new UsernamePasswordAuthenticationToken(caller, null, List.of(authority));
                    SecurityContextHolder.getContext().setAuthentication(authentication);
                });
            } catch (TokenService.UnknownTeamException e) {
                response.setStatus(HttpServletResponse.SC_FORBIDDEN);
                response.setContentType("application/problem+json");
                Map<String, Object> problem = new LinkedHashMap<>();
                problem.put("type", "about:blank");
                problem.put("title", "Forbidden");
                problem.put("status", 403);
                problem.put("detail", e.getMessage());
                problem.put("errors", List.of(Map.of("field", TEAM_HEADER, "message", "is not one of the person's teams")));
                response.getWriter().write(JSON.writeValueAsString(problem));
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
