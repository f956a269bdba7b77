using Orleans.Dashboard;
using SandboxAgents.Gateway.Api;

namespace SandboxAgents.Silo.Hosting;

/// <summary>The Orleans dashboard (grain and silo statistics) at <c>/orleans</c>, behind the operator key.</summary>
public static class OrleansDashboardExtensions
{
    public const string RoutePrefix = "/orleans";

    public static WebApplication MapOrleansDashboardForOperators(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(RoutePrefix), branch => branch.UseMiddleware<OperatorGateMiddleware>());
        app.MapOrleansDashboard(routePrefix: RoutePrefix);
        return app;
    }
}
