using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

public sealed class CommandJudgeTests
{
    private static IssueCommand Command(CommandKind kind, CommandSource source) => new(kind, source, "someone", null, null);

    private static IssueState With(RunState? current) =>
        new() { Runs = current is { } state ? [RunRecords.In(state)] : [] };

    [Theory]
    [InlineData(null, CommandKind.Cancel, SubmitOutcome.NoActiveRun)]
    [InlineData(RunState.NoChanges, CommandKind.Cancel, SubmitOutcome.NoActiveRun)]
    [InlineData(RunState.Running, CommandKind.Cancel, SubmitOutcome.Accepted)]
    [InlineData(RunState.Running, CommandKind.Run, SubmitOutcome.RunAlreadyActive)]
    [InlineData(RunState.Queued, CommandKind.Retry, SubmitOutcome.RunAlreadyActive)]
    [InlineData(null, CommandKind.Retry, SubmitOutcome.NothingToRetry)]
    [InlineData(RunState.Failed, CommandKind.Retry, SubmitOutcome.Accepted)]
    [InlineData(null, CommandKind.Run, SubmitOutcome.Accepted)]
    public void OperatorCommand_IsJudgedAgainstTheCurrentRun(RunState? current, CommandKind kind, SubmitOutcome expected) =>
        Assert.Equal(expected, CommandJudge.Judge(Command(kind, CommandSource.Api), With(current), []));

    [Fact]
    public void WaitingOperatorCommands_CountAsTaken()
    {
        Assert.Equal(SubmitOutcome.RunAlreadyActive, CommandJudge.Judge(Command(CommandKind.Run, CommandSource.Api), With(null), [Command(CommandKind.Run, CommandSource.Api)]));
        Assert.Equal(SubmitOutcome.Accepted, CommandJudge.Judge(Command(CommandKind.Cancel, CommandSource.Api), With(null), [Command(CommandKind.Run, CommandSource.Dashboard)]));
    }

    /// <summary>A reader's label waits for its permission check and may be refused: a writer's command after it is not.</summary>
    [Fact]
    public void WaitingCommandsThatNeedPermission_DoNotCount()
    {
        Assert.Equal(SubmitOutcome.Accepted, CommandJudge.Judge(Command(CommandKind.Run, CommandSource.Comment), With(null), [Command(CommandKind.Run, CommandSource.Label)]));
        Assert.Equal(SubmitOutcome.RunAlreadyActive, CommandJudge.Judge(Command(CommandKind.Run, CommandSource.Api), With(RunState.Running), [Command(CommandKind.Cancel, CommandSource.Comment)]));
    }

    [Fact]
    public void LosingGitHubAccess_IsTakenEvenWithNothingRunning() =>
        Assert.Equal(SubmitOutcome.Accepted, CommandJudge.Judge(Command(CommandKind.Cancel, CommandSource.AppUninstalled), With(RunState.Succeeded), []));

    [Fact]
    public void RetryFromAComment_OnAnIssueThatNeverRan_StartsARun() =>
        Assert.Equal(SubmitOutcome.Accepted, CommandJudge.Judge(Command(CommandKind.Retry, CommandSource.Comment), With(null), []));
}
