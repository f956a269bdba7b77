using System.Text;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;
using SandboxAgents.Runner;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Runs;

/// <summary>
/// Prepares a run's sandbox and starts the runner script in it. The git token travels as a file the runner reads and
/// deletes before the agent starts, so it is never in the agent's environment, a URL, or the grain's state.
/// </summary>
public sealed class RunnerLauncher(
    ISandboxProvider sandboxes,
    IOptions<GitHubOptions> gitHub,
    IOptions<AgentOptions> agent,
    IOptions<RunOptions> runs)
{
    public SandboxSpec SpecFor(IssueKey issue, RunRecord run)
    {
        var environment = new Dictionary<string, string>(agent.Value.Environment, StringComparer.Ordinal)
        {
            [RunnerEnvironment.RepoUrl] = gitHub.Value.CloneUrl(issue).ToString(),
            [RunnerEnvironment.Branch] = run.Branch,
            [RunnerEnvironment.IssueNumber] = issue.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [RunnerEnvironment.AgentCommand] = agent.Value.Command,
        };
        return new SandboxSpec(run.SandboxName, SandboxLabels.For(runs.Value.InstanceId, issue, run.RunId), environment);
    }

    public async Task<string> StartAsync(IssueKey issue, RunRecord run, string sandboxId, CancellationToken cancellationToken)
    {
        var task = TaskDocument.Compose(issue, run.Issue, run.Instructions);
        await sandboxes.UploadAsync(sandboxId, RunnerFiles.Script, RunnerScript.Content, cancellationToken);
        await sandboxes.UploadAsync(sandboxId, RunnerFiles.Task, Encoding.UTF8.GetBytes(task), cancellationToken);
        if (TokenForGit() is { } token)
            await sandboxes.UploadAsync(sandboxId, RunnerFiles.GitToken, Encoding.UTF8.GetBytes(token), cancellationToken);
        return await sandboxes.StartCommandAsync(sandboxId, $"bash {RunnerFiles.Script}", cancellationToken);
    }

    public async Task<RunnerResult?> ReadResultAsync(string sandboxId, CancellationToken cancellationToken)
    {
        var bytes = await sandboxes.DownloadAsync(sandboxId, RunnerFiles.Result, cancellationToken);
        return bytes is not null && RunnerResult.TryParse(bytes, out var result, out _) ? result : null;
    }

    /// <summary>Only a remote over HTTP(S) needs credentials; a <c>file://</c> mirror must not receive them.</summary>
    private string? TokenForGit() =>
        string.IsNullOrEmpty(gitHub.Value.Token) || gitHub.Value.GitUrl.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? null
            : gitHub.Value.Token;
}
