using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using SandboxAgents.Git;
using SandboxAgents.Runner;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Runs;

/// <summary>
/// Prepares a run's sandbox and starts the runner script in it: the script, the task and a bundle of the run's base
/// commit go in; no credential does. The runner never talks to a remote: the service publishes what it hands back.
/// </summary>
public sealed class RunnerLauncher(
    ISandboxProvider sandboxes,
    IRepositoryMirror mirror,
    ModelAccess model,
    IssueDiscussion discussion,
    IOptions<AgentOptions> agent,
    IOptions<RunOptions> runs)
{
    public SandboxSpec SpecFor(IssueKey issue, RunRecord run, DateTimeOffset now)
    {
        var environment = new Dictionary<string, string>(agent.Value.Environment, StringComparer.Ordinal)
        {
            [RunnerEnvironment.Branch] = run.Branch,
            [RunnerEnvironment.BaseBranch] = run.BaseBranch ?? throw new InvalidOperationException($"Run {run.RunId} has no base yet."),
            [RunnerEnvironment.BaseCommit] = run.BaseCommit ?? throw new InvalidOperationException($"Run {run.RunId} has no base yet."),
            [RunnerEnvironment.IssueNumber] = issue.Number.ToString(CultureInfo.InvariantCulture),
            [RunnerEnvironment.AgentCommand] = run.Settings.AgentCommand,
        };
        foreach (var (name, value) in model.Environment(issue, run, now)) environment[name] = value;
        return new SandboxSpec(run.SandboxName, SandboxLabels.For(runs.Value.InstanceId, issue, run.RunId), environment);
    }

    public async Task<string> StartAsync(IssueKey issue, RunRecord run, string sandboxId, CancellationToken cancellationToken)
    {
        var comments = await discussion.ReadAsync(issue, cancellationToken);
        var task = TaskDocument.Compose(issue, run.Issue, run.Instructions, comments);
        await sandboxes.UploadAsync(sandboxId, RunnerFiles.Script, RunnerScript.Content, cancellationToken);
        await sandboxes.UploadAsync(sandboxId, RunnerFiles.Task, Encoding.UTF8.GetBytes(task), cancellationToken);
        using (var bundle = mirror.CreateScratchFile())
        {
            await mirror.WriteBaseBundleAsync(issue, run.RunId, bundle, cancellationToken);
            await using var content = bundle.OpenRead();
            await sandboxes.UploadAsync(sandboxId, RunnerFiles.BaseBundle, content, cancellationToken);
        }

        return await sandboxes.StartCommandAsync(sandboxId, $"bash {RunnerFiles.Script}", cancellationToken);
    }

    public async Task<RunnerResult?> ReadResultAsync(string sandboxId, CancellationToken cancellationToken)
    {
        var bytes = await sandboxes.DownloadAsync(sandboxId, RunnerFiles.Result, cancellationToken);
        return bytes is not null && RunnerResult.TryParse(bytes, out var result, out _) ? result : null;
    }
}
