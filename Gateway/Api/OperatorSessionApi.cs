using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Gateway.Api;

/// <summary>
/// <c>/api/session</c>: a browser gives the operator key once in a POSTed form and gets a session cookie that is not
/// the key (<see cref="OperatorSessionTokens"/>); <c>DELETE</c> signs out; <c>GET</c> says whether it is signed in.
/// </summary>
public static class OperatorSessionApi
{
    public const string Path = "/api/session";
    public const string KeyField = "key";
    public const string ReturnUrlField = "returnUrl";

    /// <summary>The cookie the first gate kept the key itself in, at <c>/orleans</c>; deleted wherever it may still be.</summary>
    private const string LegacyCookie = "sandbox-agents-operator";

    public static RouteGroupBuilder MapOperatorSession(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Path).WithTags("Session");
        group.MapPost("/", SignInAsync).DisableAntiforgery()
            .WithSummary("Sign a browser in with the operator key (form field 'key'); 303 to 'returnUrl', or 204.");
        group.MapDelete("/", SignOut).WithSummary("Sign the browser out.");
        group.MapGet("/", Status).WithSummary("Whether this browser is signed in, and whether reads are public.");
        return group;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, OperatorSessionTokens sessions, IOptions<ApiOptions> options)
    {
        var request = context.Request;
        var form = request.HasFormContentType ? await request.ReadFormAsync(context.RequestAborted) : null;
        var returnUrl = form?[ReturnUrlField].ToString() is { } wanted && IsLocal(wanted) ? wanted : null;
        var key = options.Value.Key;
        if (string.IsNullOrEmpty(key))
            return TypedResults.Problem("Sign-in is disabled: set Api:Key to enable it.", statusCode: StatusCodes.Status403Forbidden);

        var given = form?[KeyField].ToString().Trim() ?? "";
        if (!OperatorKey.Matches(given, key))
        {
            const string wrong = "That is not the operator key.";
            return returnUrl is null
                ? TypedResults.Problem(wrong, statusCode: StatusCodes.Status401Unauthorized)
                : new SignInPageResult(wrong, returnUrl);
        }

        var (token, expires) = sessions.Issue()!.Value;
        context.Response.Cookies.Append(OperatorSessionTokens.CookieName, token, CookieOptions(request, expires));
        DeleteLegacyCookie(context);
        context.Response.Headers.CacheControl = "no-store";
        if (returnUrl is null) return TypedResults.NoContent();
        context.Response.Headers.Location = returnUrl;
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static NoContent SignOut(HttpContext context)
    {
        context.Response.Cookies.Delete(OperatorSessionTokens.CookieName, CookieOptions(context.Request, expires: null));
        DeleteLegacyCookie(context);
        return TypedResults.NoContent();
    }

    private static Ok<SessionStatus> Status(HttpContext context, IOptions<ApiOptions> options)
    {
        context.Response.Headers.CacheControl = "no-store";
        var credential = OperatorAuthenticationHandler.CredentialOf(context.User);
        return TypedResults.Ok(new SessionStatus(credential != OperatorCredential.None, credential == OperatorCredential.Session, options.Value.PublicReads, options.Value.HasKey));
    }

    private static CookieOptions CookieOptions(HttpRequest request, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    private static void DeleteLegacyCookie(HttpContext context) =>
        context.Response.Cookies.Delete(LegacyCookie, new CookieOptions { Path = "/orleans", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps });

    /// <summary>Only a path of this site: never another host (<c>//evil</c>, <c>/\evil</c>, <c>/&#9;/evil</c>, <c>https://…</c>).</summary>
    private static bool IsLocal(string url) =>
        url is ['/'] or ['/', not '/', ..] && !url.Any(c => c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c));

    /// <summary>What <c>GET /api/session</c> answers.</summary>
    public sealed record SessionStatus(bool SignedIn, bool Session, bool PublicReads, bool KeyConfigured);

    private sealed class SignInPageResult(string problem, string returnUrl) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => SignInPage.WriteAsync(httpContext, StatusCodes.Status401Unauthorized, problem, returnUrl);
    }
}
