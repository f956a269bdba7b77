using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace SandboxAgents.Gateway.Api;

/// <summary>Read side of the operator API: one issue's runs.</summary>
public static class TasksApi
{
    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tasks").WithTags("Tasks");
        group.MapGet("/{owner}/{repo}/{number}", GetIssueAsync);
        return group;
    }

    public static async Task<Results<Ok<IssueSnapshot>, ProblemHttpResult>> GetIssueAsync(
        string owner, string repo, string number, IGrainFactory grains)
    {
        if (!IssueKey.TryParse($"{owner}/{repo}#{number}", out var key))
            return TypedResults.Problem($"'{owner}/{repo}#{number}' does not name an issue of a GitHub repository.", statusCode: StatusCodes.Status400BadRequest);

        var snapshot = await grains.GetGrain<ISandboxGrain>(key.ToString()).GetSnapshotAsync();
        return snapshot.History.Count == 0
            ? TypedResults.Problem($"No run was ever requested for {key}.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(snapshot);
    }
}
