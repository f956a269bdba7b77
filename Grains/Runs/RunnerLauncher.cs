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
    /// <summary>
    /// What every agent gets unless <c>Agent:Environment</c> says otherwise: no telemetry, error reports or update
    /// checks from the CLI, which the egress filter would refuse anyway and which only slow it down.
    /// </summary>
    private static readonly Dictionary<string, string> AgentDefaults = new(StringComparer.Ordinal)
    {
        ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
    };

    public SandboxSpec SpecFor(IssueKey issue, RunRecord run, DateTimeOffset now)
    {
        var environment = new Dictionary<string, string>(AgentDefaults, StringComparer.Ordinal);
        foreach (var (name, value) in agent.Value.Environment) environment[name] = value;
        environment[RunnerEnvironment.Branch] = run.Branch;
        environment[RunnerEnvironment.BaseBranch] = run.BaseBranch ?? throw new InvalidOperationException($"Run {run.RunId} has no base yet.");
        environment[RunnerEnvironment.BaseCommit] = run.BaseCommit ?? throw new InvalidOperationException($"Run {run.RunId} has no base yet.");
        environment[RunnerEnvironment.IssueNumber] = issue.Number.ToString(CultureInfo.InvariantCulture);
        environment[RunnerEnvironment.AgentCommand] = run.Settings.AgentCommand;
        foreach (var (name, value) in LimitsOf(run.Settings)) environment[name] = value;

        foreach (var (name, value) in model.Environment(issue, run, now)) environment[name] = value;
        return new SandboxSpec(run.SandboxName, SandboxLabels.For(runs.Value.InstanceId, issue, run.RunId), environment);
    }

    /// <summary>The run's model and limits, which the default <c>Agent:Command</c> passes to the CLI.</summary>
    private static IEnumerable<(string Name, string Value)> LimitsOf(RunSettings settings)
    {
        if (settings.Model is { } model) yield return (RunnerEnvironment.AgentModel, model);
        yield return (RunnerEnvironment.AgentMaxTurns, settings.MaxTurns.ToString(CultureInfo.InvariantCulture));
        if (settings.MaxBudgetUsd is { } budget) yield return (RunnerEnvironment.AgentMaxBudgetUsd, budget.ToString(CultureInfo.InvariantCulture));
        var grace = settings.WrapUpGrace > TimeSpan.Zero ? settings.WrapUpGrace : AgentOptions.DefaultWrapUpGrace;
        yield return (RunnerEnvironment.WrapUpGraceSeconds, ((long)Math.Ceiling(grace.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Uploads the runner's files and starts it; a replay uploads the same again, except the setup's variables, which
    /// are sent once: <paramref name="saveAsync"/> records that before the runner can start.
    /// </summary>
    public async Task<string> StartAsync(IssueKey issue, RunRecord run, string sandboxId, Func<Task> saveAsync, CancellationToken cancellationToken)
    {
        var comments = await discussion.ReadAsync(issue, cancellationToken);
        var task = TaskDocument.Compose(issue, run.Issue, run.Instructions, comments, run.Settings.RepositoryInstructions, run.Feedback);
        await sandboxes.UploadAsync(sandboxId, RunnerFiles.Script, RunnerScript.Content, cancellationToken);
        await sandboxes.UploadAsync(sandboxId, RunnerFiles.Task, Encoding.UTF8.GetBytes(task), cancellationToken);
        using (var bundle = mirror.CreateScratchFile())
        {
            await mirror.WriteBaseBundleAsync(issue, run.RunId, bundle, cancellationToken);
            await using var content = bundle.OpenRead();
            await sandboxes.UploadAsync(sandboxId, RunnerFiles.BaseBundle, content, cancellationToken);
        }

        foreach (var (path, command) in RunnerCommandFiles.For(run.Settings.SetupCommands, run.Settings.ValidateCommands))
            await sandboxes.UploadAsync(sandboxId, path, command, cancellationToken);
        if (!run.SetupEnvironmentSent && run.Settings.SetupCommands.Count > 0 &&
            RunnerCommandFiles.SetupEnvironment(agent.Value.SetupEnvironment) is { } variables)
        {
            await sandboxes.UploadAsync(sandboxId, RunnerFiles.SetupEnvironment, variables, cancellationToken);
            run.SetupEnvironmentSent = true;
            await saveAsync();
        }

        return await sandboxes.StartCommandAsync(sandboxId, RunnerScript.StartCommand, cancellationToken);
    }

    /// <summary>
    /// Starts the runner again in its resume mode (it delivers the messages that came after it ended, then commits,
    /// validates and bundles again). The script and the validate commands are uploaded again first: the agent may have
    /// rewritten both in the sandbox, and the runner reads them afresh.
    /// </summary>
    public async Task<string> ResumeAsync(RunRecord run, string sandboxId, CancellationToken cancellationToken)
    {
        await sandboxes.UploadAsync(sandboxId, RunnerFiles.Script, RunnerScript.Content, cancellationToken);
        foreach (var (path, command) in RunnerCommandFiles.For([], run.Settings.ValidateCommands))
            await sandboxes.UploadAsync(sandboxId, path, command, cancellationToken);
        return await sandboxes.StartCommandAsync(sandboxId, RunnerScript.ResumeCommand, cancellationToken);
    }

    public async Task<RunnerResult?> ReadResultAsync(string sandboxId, CancellationToken cancellationToken)
    {
        var bytes = await sandboxes.DownloadAsync(sandboxId, RunnerFiles.Result, cancellationToken);
        return bytes is not null && RunnerResult.TryParse(bytes, out var result, out _) ? result : null;
    }
}
