using Microsoft.Extensions.Logging;

namespace SandboxAgents.Runs;

/// <summary>
/// Tells the run registry about the issue's current run whenever its version moves, before the state that holds the
/// change is written, so the run list never says an earlier state than the run's own detail. A failed call is tried
/// again with the next write.
/// </summary>
public sealed partial class RegistryEffect(IGrainFactory grains) : IRunEffect
{
    public bool AppliesWithEverySave => true;

    public bool IsSettled(IssueState issue, RunRecord run) => run != issue.Current || run.RegistryVersion == run.Version;

    public bool IsDue(RunContext context, RunRecord run) => !IsSettled(context.State, run);

    public async Task ApplyAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        var version = run.Version;
        try
        {
            await grains.GetGrain<IRunRegistryGrain>(0).RecordAsync(Entry(context.Issue, run));
            run.RegistryVersion = version;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRegistryFailed(context.Logger, ex, context.Issue, run.RunId);
        }
    }

    public static RunEntry Entry(IssueKey issue, RunRecord run) => new(
        issue.ToString(), issue.RepositoryFullName, issue.Number, run.RunId, run.State, run.RequestedBy,
        run.CreatedAt, run.Transitions[^1].At, run.EndedAt, run.PullRequestUrl, run.CostUsd, run.Issue.Title, run.Comment.Stale,
        run.Iteration, run.Source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: run {RunId} could not be recorded in the registry; the next write tries again")]
    private static partial void LogRegistryFailed(ILogger logger, Exception exception, IssueKey issue, string runId);
}
