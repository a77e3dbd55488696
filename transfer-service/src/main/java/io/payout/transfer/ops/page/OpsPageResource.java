package io.payout.transfer.ops.page;

import io.payout.platform.api.Clients;
import io.payout.platform.problem.ProblemException;
import io.payout.transfer.ops.OpsQueries;
import io.payout.transfer.ops.page.OpsViews.Dashboard;
import io.payout.transfer.ops.page.OpsViews.Journey;
import io.payout.transfer.ops.page.OpsViews.Match;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The ops web page: read-only, server-rendered HTML for people, beside the JSON ops API for scripts. A transfer's
 * whole journey on one page — its state history here, its postings in the ledger, its bank dispatch, the bank's
 * webhooks — each remote part degrading to "unavailable" on its own. Pages need the {@code ops} group, like the
 * JSON ops API; the browser sends the token in the session cookie set by {@code POST /ops/session}.
 * <p>
 * Nothing here changes state except the session cookie, so the only cross-site concern is the login form (checked
 * by origin below); the cookie itself is SameSite=Strict.
 */
@Path("/ops")
@Produces(MediaType.TEXT_HTML)
public class OpsPageResource {
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /**
     * Reads {@code #token=…&next=…} and submits the login form with it. The fragment never reaches the server, its
     * logs or a proxy's; it is removed from the address bar and history before anything else happens.
     */
    private static final String LOGIN_SCRIPT = """
            (function () {
              var params = new URLSearchParams(window.location.hash.slice(1));
              var token = params.get('token');
              if (!token) { return; }
              history.replaceState(null, '', window.location.pathname + window.location.search);
              var form = document.getElementById('login');
              form.elements.token.value = token;
              if (params.get('next')) { form.elements.next.value = params.get('next'); }
              form.submit();
            })();
            """;

    @CheckedTemplate(basePath = "ops")
    static class Templates {
        static native TemplateInstance dashboard(Dashboard dashboard, String user);

        static native TemplateInstance journey(Journey journey, String user);

        static native TemplateInstance search(String q, List<Match> matches, String user);

        static native TemplateInstance notFound(String what, String user);

        static native TemplateInstance forbidden(String user);

        static native TemplateInstance login(String next, String error);
    }

    private final OpsPageConfig config;
    private final OpsQueries queries;
    private final JourneyReader journeys;
    private final RemoteViews remote;
    private final DeadLetterSection deadLetters;
    private final OpsSession session;
    private final SecurityIdentity identity;

    public OpsPageResource(OpsPageConfig config, OpsQueries queries, JourneyReader journeys, RemoteViews remote,
                           DeadLetterSection deadLetters, OpsSession session, SecurityIdentity identity) {
        this.config = config;
        this.queries = queries;
        this.journeys = journeys;
        this.remote = remote;
        this.deadLetters = deadLetters;
        this.session = session;
        this.identity = identity;
    }

    @GET
    @RolesAllowed("ops")
    @Operation(hidden = true)
    public Uni<Response> dashboard() {
        String user = user();
        Duration stuckAfter = Duration.ofMillis(config.stuckAfterMs());
        int rows = config.rowsMax();
        return Panache.withSession(() -> queries.anomalies(null, 0, rows)
                        .flatMap(anomalies -> queries.stuck(stuckAfter, 0, rows)
                                .map(stuck -> new Dashboard(anomalies, stuck, stuckAfter.toString(), null))))
                .flatMap(d -> deadLetters.open(rows)
                        .map(dl -> new Dashboard(d.anomalies(), d.stuck(), d.stuckAfter(), dl)))
                .map(d -> html(200, Templates.dashboard(d, user)));
    }

    @GET
    @Path("/transfers")
    @RolesAllowed("ops")
    @Operation(hidden = true)
    public Uni<Response> search(@QueryParam("q") String q) {
        String user = user();
        String text = q == null ? "" : q.strip();
        if (text.isEmpty()) {
            return Uni.createFrom().item(seeOther("/ops"));
        }
        if (text.length() > JourneyReader.QUERY_LENGTH_MAX) {
            return Uni.createFrom().item(html(200, Templates.search(text, List.of(), user)));
        }
        return journeys.search(text, config.rowsMax()).map(matches -> matches.size() == 1
                ? seeOther("/ops/transfers/" + matches.get(0).id())
                : html(200, Templates.search(text, matches, user)));
    }

    @GET
    @Path("/transfers/{id}")
    @RolesAllowed("ops")
    @Operation(hidden = true)
    public Uni<Response> journey(@PathParam("id") String id) {
        String user = user();
        UUID uuid = JourneyReader.parseUuid(id);
        if (uuid == null) {
            return Uni.createFrom().item(html(404, Templates.notFound(id, user)));
        }
        String token = rawToken();
        return journeys.load(uuid, config.rowsMax()).flatMap(local -> {
            if (local == null) {
                return Uni.createFrom().item(html(404, Templates.notFound(id, user)));
            }
            var t = local.transfer();
            // the three services are asked at once; each answer (or its absence) fills its own section
            return Uni.combine().all().unis(remote.postings(uuid, token), remote.dispatch(uuid, token),
                            remote.webhooks(t.externalRef, token)).asTuple()
                    .map(parts -> html(200, Templates.journey(new Journey(t.id, t.state.name(),
                            JourneyReader.fields(t), JourneyReader.steps(local.history()), local.anomalies(),
                            parts.getItem1(), parts.getItem2(), parts.getItem3(), t.traceId), user)));
        });
    }

    // --- the session -------------------------------------------------------------------------------------------

    @GET
    @Path("/login")
    @Operation(hidden = true)
    public Response loginPage(@QueryParam("next") String next) {
        return html(200, Templates.login(OpsSession.safeNext(next), null));
    }

    @GET
    @Path("/login.js")
    @Produces("text/javascript")
    @Operation(hidden = true)
    public Response loginScript() {
        return Response.ok(LOGIN_SCRIPT).header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    @POST
    @Path("/session")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> openSession(@FormParam("token") String token, @FormParam("next") String next,
                                     @HeaderParam("Sec-Fetch-Site") String fetchSite,
                                     @HeaderParam("Origin") String origin, @HeaderParam("Host") String host) {
        String target = OpsSession.safeNext(next);
        if (!sameOrigin(fetchSite, origin, host)) {
            // another site posting a token of its choosing would log this browser in as someone else
            return Uni.createFrom().item(html(403, Templates.login(target, "Login is only accepted from this site's own login page.")));
        }
        String jwt = token == null ? "" : token.strip();
        if (jwt.isEmpty()) {
            return Uni.createFrom().item(html(400, Templates.login(target, "Paste a token first.")));
        }
        return session.verify(jwt)
                .map(verified -> {
                    Clients.clientId(verified); // a token without a subject is refused, as by the API
                    return Response.seeOther(URI.create(target)).cookie(session.open(verified, jwt))
                            .header("Cache-Control", "no-store").build();
                })
                .onFailure(e -> e instanceof AuthenticationFailedException || e instanceof ProblemException)
                .recoverWithItem(() -> html(401, Templates.login(target,
                        "That token was not accepted (expired, wrong issuer or signature, or no subject).")));
    }

    @POST
    @Path("/logout")
    @Operation(hidden = true)
    public Response logout(@HeaderParam("Sec-Fetch-Site") String fetchSite, @HeaderParam("Origin") String origin,
                           @HeaderParam("Host") String host) {
        if (!sameOrigin(fetchSite, origin, host)) {
            return html(403, Templates.login(OpsSession.PATH, "Logout is only accepted from this site's own pages."));
        }
        return Response.seeOther(URI.create("/ops/login")).cookie(session.close())
                .header("Cache-Control", "no-store").build();
    }

    // --- what the browser gets instead of problem+json -----------------------------------------------------------

    /** Not logged in, or the cookie's token is no longer valid: to the login page, and back here afterwards. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response toLogin(RuntimeException e, UriInfo uri) {
        String here = uri.getRequestUri().getRawPath()
                + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery());
        Response.ResponseBuilder b = Response.seeOther(URI.create("/ops/login?next="
                + URLEncoder.encode(OpsSession.safeNext(here), StandardCharsets.UTF_8)));
        if (e instanceof AuthenticationFailedException) {
            b.cookie(session.close()); // an expired or foreign token: forget it
        }
        return b.header("Cache-Control", "no-store").build();
    }

    /** Logged in with a token that lacks the ops group. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return html(403, Templates.forbidden(user()));
    }

    // -------------------------------------------------------------------------------------------------------------

    private String user() {
        return identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null ? jwt.getSubject() : "?";
    }

    /** The ops user's own token: the other services authorize the same person. */
    private String rawToken() {
        return ((JsonWebToken) identity.getPrincipal()).getRawToken();
    }

    /**
     * True unless the browser says the form was posted from another origin: by {@code Sec-Fetch-Site} when it sends
     * one (every current browser), else by {@code Origin}.
     */
    static boolean sameOrigin(String fetchSite, String origin, String host) {
        if (fetchSite != null) {
            return fetchSite.equals("same-origin") || fetchSite.equals("none");
        }
        if (origin == null) {
            return true; // not a cross-site browser request: browsers send Origin on every cross-site POST
        }
        try {
            URI o = URI.create(origin);
            return host != null && o.getRawAuthority() != null && o.getRawAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false; // "null" (opaque origins) and garbage
        }
    }

    private static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).header("Cache-Control", "no-store").build();
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.render())
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", CSP)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                // not no-referrer: under it a browser sends "Origin: null" even for this site's own forms
                .header("Referrer-Policy", "same-origin")
                .build();
    }
}
