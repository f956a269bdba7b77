using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Gateway.Api;

/// <summary>The policy requirement behind each <see cref="OperatorAccess"/>; the policies are named after the enum.</summary>
public sealed record OperatorRequirement(OperatorAccess Access) : IAuthorizationRequirement
{
    public static string PolicyName(OperatorAccess access) => $"operator-{access.ToString().ToLowerInvariant()}";
}

/// <summary>Applies <see cref="OperatorRules"/> to a request.</summary>
public sealed class OperatorAuthorizationHandler(IOptions<ApiOptions> options) : AuthorizationHandler<OperatorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OperatorRequirement requirement)
    {
        if (context.Resource is HttpContext http && Refusal(requirement, http, options.Value) is null) context.Succeed(requirement);
        return Task.CompletedTask;
    }

    public static OperatorRefusal? Refusal(OperatorRequirement requirement, HttpContext http, ApiOptions options) =>
        OperatorRules.Check(requirement.Access, options, OperatorAuthenticationHandler.CredentialOf(http.User), OperatorRules.IsFromDashboard(http.Request));
}

/// <summary>
/// Answers a refused request with a problem that says what to do (401 without the key, 403 when it cannot be given),
/// or, for a browser opening an operator page, with the sign-in form.
/// </summary>
public sealed class OperatorRefusalResultHandler(IOptions<ApiOptions> options) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var requirement = policy.Requirements.OfType<OperatorRequirement>().FirstOrDefault();
        if (authorizeResult.Succeeded || requirement is null || OperatorAuthorizationHandler.Refusal(requirement, context, options.Value) is not { } refusal)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (refusal.StatusCode == StatusCodes.Status401Unauthorized && context.GetEndpoint()?.Metadata.GetMetadata<SignInPage>() is not null && WantsHtml(context.Request))
        {
            await SignInPage.WriteAsync(context, refusal.StatusCode, problem: null);
            return;
        }

        await TypedResults.Problem(refusal.Message, statusCode: refusal.StatusCode).ExecuteAsync(context);
    }

    private static bool WantsHtml(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
