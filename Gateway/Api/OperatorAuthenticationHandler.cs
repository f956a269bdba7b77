using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Gateway.Api;

/// <summary>
/// Recognises the operator: <c>Authorization: Bearer {Api:Key}</c> (<see cref="OperatorKey"/>) or a valid session cookie
/// (<see cref="OperatorSessionTokens"/>). It only says who is asking; <see cref="OperatorRules"/> decides what they may do.
/// </summary>
public sealed class OperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder, IOptions<ApiOptions> api, OperatorSessionTokens sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    public const string SchemeName = "Operator";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = api.Value.Key;
        if (string.IsNullOrEmpty(key)) return Task.FromResult(AuthenticateResult.NoResult());

        var header = Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (header.Length > 0)
        {
            var given = header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? header[bearer.Length..].Trim() : "";
            return Task.FromResult(OperatorKey.Matches(given, key)
                ? Success(OperatorCredential.Bearer)
                : AuthenticateResult.Fail("Wrong operator key."));
        }

        return Task.FromResult(sessions.IsValid(Request.Cookies[OperatorSessionTokens.CookieName])
            ? Success(OperatorCredential.Session)
            : AuthenticateResult.NoResult());
    }

    /// <summary>How the signed-in caller proved it (none for anyone else).</summary>
    public static OperatorCredential CredentialOf(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, AuthenticationType: SchemeName }
        && Enum.TryParse<OperatorCredential>(user.FindFirstValue(ClaimTypes.AuthenticationMethod), out var credential)
            ? credential
            : OperatorCredential.None;

    private static AuthenticateResult Success(OperatorCredential credential)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "operator"), new Claim(ClaimTypes.AuthenticationMethod, credential.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
