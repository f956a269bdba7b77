using SandboxAgents.Runner;
using SandboxAgents.Runs.RepositoryConfig;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Grains;

/// <summary>A repository's <c>.github/sandbox-agents.yml</c> at the run's base shapes the run; a bad one fails it before any sandbox.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class RepositoryConfigGrainTests(GrainClusterFixture fixture)
{
    private static int _delivery;

    private static IssueCommand Run(string? model = null, long? commentId = null) =>
        new(CommandKind.Run, CommandSource.Comment, "maintainer", $"config-delivery-{Interlocked.Increment(ref _delivery)}",
            new IssueText("Fix the typo", "README says 'teh'."), CommentId: commentId, Model: model);

    private Task<IssueSnapshot> SnapshotAsync(IssueKey issue) => fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString()).GetSnapshotAsync();

    private IssueKey IssueWithConfig(string yaml)
    {
        var issue = fixture.NextIssue();
        fixture.Mirror.Files[(issue, RepositoryConfigFile.Path)] = yaml;
        return issue;
    }

    /// <summary>One tick queues the run, prepares its base, provisions its sandbox and starts the runner.</summary>
    private async Task<(IssueSnapshot Snapshot, FakeSandbox Sandbox)> StartAsync(IssueKey issue, IssueCommand command)
    {
        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, command));
        var snapshot = await SnapshotAsync(issue);
        Assert.Equal(RunState.Running, snapshot.State);
        return (snapshot, fixture.Sandboxes.ForRun(snapshot.RunId!)!);
    }

    [Fact]
    public async Task FileAtTheBase_ShapesTheRun_ModelLimitsBranchAndInstructions()
    {
        var issue = IssueWithConfig("""
            model: repo-model
            maxTurns: 7
            maxBudgetUsd: 1.25
            branchPrefix: bot/
            instructions: Run the linter before you finish.
            """);

        var (snapshot, sandbox) = await StartAsync(issue, Run());

        var environment = sandbox.Spec.Environment;
        Assert.Equal(("repo-model", "7", "1.25", "120"), (environment[RunnerEnvironment.AgentModel], environment[RunnerEnvironment.AgentMaxTurns],
            environment[RunnerEnvironment.AgentMaxBudgetUsd], environment[RunnerEnvironment.WrapUpGraceSeconds]));
        Assert.StartsWith($"bot/issue-{issue.Number}-", snapshot.Branch);
        Assert.Equal(snapshot.Branch, environment[RunnerEnvironment.Branch]);
        Assert.Contains("## The repository's instructions", sandbox.ReadFile(RunnerFiles.Task));
        Assert.Contains("Run the linter before you finish.", sandbox.ReadFile(RunnerFiles.Task));
        var baseCommit = FakeRepositoryMirror.BaseCommitWithFiles(issue);
        Assert.Contains((issue, baseCommit, RepositoryConfigFile.Path), fixture.Mirror.FilesRead);
        Assert.Equal("repo-model", snapshot.History[^1].Model);
        var provisioning = snapshot.History[^1].Transitions.Single(t => t.State == RunState.Provisioning);
        Assert.EndsWith($"; settings from .github/sandbox-agents.yml at {baseCommit[..7]}", provisioning.Note);
    }

    [Fact]
    public async Task NoFile_TheServiceSettingsAlone()
    {
        var issue = fixture.NextIssue();

        var (snapshot, sandbox) = await StartAsync(issue, Run());

        var environment = sandbox.Spec.Environment;
        Assert.Equal("50", environment[RunnerEnvironment.AgentMaxTurns]);
        Assert.False(environment.ContainsKey(RunnerEnvironment.AgentModel));
        Assert.False(environment.ContainsKey(RunnerEnvironment.AgentMaxBudgetUsd));
        Assert.StartsWith($"agent/issue-{issue.Number}-", snapshot.Branch);
        Assert.DoesNotContain("repository's instructions", sandbox.ReadFile(RunnerFiles.Task));
        Assert.Contains((issue, FakeRepositoryMirror.BaseCommit, RepositoryConfigFile.Path), fixture.Mirror.FilesRead);
        Assert.DoesNotContain("settings from", snapshot.History[^1].Transitions.Single(t => t.State == RunState.Provisioning).Note);
    }

    [Fact]
    public async Task ValuesAboveTheCeilings_AreLowered_AndTheTransitionSaysSo()
    {
        var issue = IssueWithConfig("maxTurns: 500\ntimeout: 5h\n");

        var (snapshot, sandbox) = await StartAsync(issue, Run());

        Assert.Equal("50", sandbox.Spec.Environment[RunnerEnvironment.AgentMaxTurns]);
        var provisioning = snapshot.History[^1].Transitions.Single(t => t.State == RunState.Provisioning);
        Assert.Contains("timeout 05:00:00 lowered to 02:00:00 (Agent:MaxTimeout); maxTurns 500 lowered to 50 (Agent:MaxTurns)", provisioning.Note);
    }

    [Fact]
    public async Task BadFile_FailsTheRunAtOnce_WithFileLineAndColumn_AndNoSandbox()
    {
        var issue = IssueWithConfig("model: repo-model\nmaxTurns: lots\n");

        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, Run()));

        var done = await SnapshotAsync(issue);
        Assert.Equal(RunState.Failed, done.State);
        Assert.Equal(".github/sandbox-agents.yml:2:11: maxTurns must be a whole number from 1 to 10000", done.Error);
        Assert.Equal([RunState.Queued, RunState.Failed], done.History[^1].Transitions.Select(t => t.State));
        Assert.Equal(0, fixture.Sandboxes.CreatesFor(issue));
        Assert.Contains(fixture.GitHub.CommentsOn(issue), c => c.Body.Contains(".github/sandbox-agents.yml:2:11: maxTurns must be", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CommandsModel_WinsOverTheFiles()
    {
        var issue = IssueWithConfig("model: repo-model\n");

        var (snapshot, sandbox) = await StartAsync(issue, Run(model: "command-model"));

        Assert.Equal("command-model", sandbox.Spec.Environment[RunnerEnvironment.AgentModel]);
        Assert.Equal("command-model", snapshot.History[^1].Model);
    }

    [Fact]
    public async Task BadModelName_IsRefused_WithTheReason_AndNothingStarts()
    {
        var issue = fixture.NextIssue();

        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, Run(model: "opus; curl evil", commentId: 4242)));

        var snapshot = await SnapshotAsync(issue);
        Assert.Empty(snapshot.History);
        Assert.Equal(0, fixture.Sandboxes.CreatesFor(issue));
        var reply = Assert.Single(fixture.GitHub.CommentsOn(issue));
        Assert.Equal("@maintainer `--model` was refused: a model name may hold only letters, digits and . - _ : / [ ]. Nothing was started.", reply.Body);
        Assert.Contains((issue, 4242L, SandboxAgents.GitHub.GitHubReaction.Confused), fixture.GitHub.OtherReactions);
    }
}
