using Microsoft.Extensions.Logging;
using SandboxAgents.Runs;

namespace SandboxAgents.Registry;

/// <summary>Tells the run registry about an issue's current run whenever its version moves; retried on the next tick if the call fails.</summary>
public sealed partial class RegistryPublisher(IGrainFactory grains)
{
    public async Task SyncAsync(RunContext context, RunRecord run)
    {
        if (run.RegistryVersion == run.Version) return;
        var version = run.Version;
        try
        {
            await grains.GetGrain<IRunRegistryGrain>(0).RecordAsync(Entry(context.Issue, run, context.Now));
            run.RegistryVersion = version;
            await context.SaveAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRegistryFailed(context.Logger, ex, context.Issue, run.RunId);
        }
    }

    public static RunEntry Entry(IssueKey issue, RunRecord run, DateTimeOffset now) => new(
        issue.ToString(), issue.RepositoryFullName, issue.Number, run.RunId, run.State, run.RequestedBy,
        run.CreatedAt, run.Transitions[^1].At, run.EndedAt, run.PullRequestUrl, run.CostUsd, run.Issue.Title, run.CommentStale);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: run {RunId} could not be recorded in the registry; the next tick tries again")]
    private static partial void LogRegistryFailed(ILogger logger, Exception exception, IssueKey issue, string runId);
}
