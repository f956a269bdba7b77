using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SandboxAgents.Gateway.Dashboard;

/// <summary>
/// The operator dashboard: one static page, its stylesheet and script, embedded in this assembly, open to anyone because
/// they hold no data. The page reads the task API and its event stream with the session cookie of its sign-in form
/// (or openly with <c>Api:PublicReads</c>); the operator key itself is never kept by the page.
/// </summary>
public static class DashboardEndpoints
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        (DashboardRoutes.Page, "index.html", "text/html; charset=utf-8"),
        ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
        ("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
    ];

    public static RouteGroupBuilder MapDashboard(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Dashboard").ExcludeFromDescription();
        group.AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            return await next(context);
        });

        foreach (var (path, resource, contentType) in Files)
        {
            var content = Read(resource);
            group.MapGet(path, () => TypedResults.Bytes(content, contentType));
        }

        return group;
    }

    private static byte[] Read(string resource)
    {
        var name = $"Dashboard/{resource}";
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The dashboard resource '{name}' is not embedded in the Gateway assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
