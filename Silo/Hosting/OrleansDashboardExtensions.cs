using Orleans.Dashboard;
using SandboxAgents.Gateway.Api;

namespace SandboxAgents.Silo.Hosting;

/// <summary>
/// The Orleans dashboard (grain and silo statistics) at <c>/orleans</c>: the operator key or a signed-in session only,
/// whatever <c>Api:PublicReads</c> says; a browser without one gets the sign-in form.
/// </summary>
public static class OrleansDashboardExtensions
{
    public const string RoutePrefix = "/orleans";

    public static WebApplication MapOrleansDashboardForOperators(this WebApplication app)
    {
        app.UseOperatorAccess();
        app.MapOrleansDashboard(routePrefix: RoutePrefix).RequireOperatorPage(OperatorAccess.Operator);
        return app;
    }
}
