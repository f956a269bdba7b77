using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Gateway.Api;

/// <summary>
/// Lets a request through only with <c>Authorization: Bearer {Api:Key}</c>. With no key configured every such request
/// is refused (403) with a message saying how to enable it; a missing or wrong key gets 401.
/// </summary>
public sealed class OperatorKeyFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Check(context.HttpContext.Request, options.Value.Key) ?? await next(context);

    /// <summary>Null when the request carries the key; otherwise the problem to answer with.</summary>
    public static IResult? Check(HttpRequest request, string? key)
    {
        if (string.IsNullOrEmpty(key))
            return TypedResults.Problem("The operator API is disabled: set Api:Key to enable it.", statusCode: StatusCodes.Status403Forbidden);

        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var given = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : "";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key))
            ? null
            : TypedResults.Problem("Missing or wrong operator key (Authorization: Bearer <Api:Key>).", statusCode: StatusCodes.Status401Unauthorized);
    }
}
