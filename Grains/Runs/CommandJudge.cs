namespace SandboxAgents.Runs;

/// <summary>
/// What a command means for an issue's runs, decided by the grain alone: when it is submitted (against the current run
/// and those waiting commands sure to be taken, the ones that need no permission check) and again when its tick acts
/// on it.
/// </summary>
public static class CommandJudge
{
    public static SubmitOutcome Judge(IssueCommand command, IssueState state, IEnumerable<IssueCommand> waiting)
    {
        var active = state.Current?.State.IsActive() == true;
        var everRun = state.Runs.Count > 0;
        foreach (var earlier in waiting.Where(c => !c.RequiresPermission))
        {
            if (earlier.Kind == CommandKind.Cancel) active = false;
            else if (!active && earlier.Kind is CommandKind.Run or CommandKind.Retry && Judge(earlier, state, active, everRun) == SubmitOutcome.Accepted)
                (active, everRun) = (true, true);
        }

        return Judge(command, state, active, everRun);
    }

    /// <summary>
    /// The command gives the active run more instructions: a message, or <c>/agent &lt;text&gt;</c> on the issue or on
    /// its pull request while a run is active (the same comment with nothing running starts a run or an iteration).
    /// </summary>
    public static bool Steers(IssueCommand command, bool active) => command.Kind == CommandKind.Message
        || (active && command.Instructions is not null
            && (command is { Kind: CommandKind.Run, Source: CommandSource.Comment } || command is { Kind: CommandKind.Iterate, Source: CommandSource.PullRequestComment }));

    private static SubmitOutcome Judge(IssueCommand command, IssueState state, bool active, bool everRun) => command.Kind switch
    {
        // Losing GitHub access is taken even with nothing running: it marks the runs whose comments can no longer be written.
        CommandKind.Cancel when command.WithdrawsGitHubAccess => SubmitOutcome.Accepted,
        CommandKind.Cancel => active ? SubmitOutcome.Accepted : SubmitOutcome.NoActiveRun,
        // A comment's message is taken even with nothing running, so that its sender is told how to start a run.
        CommandKind.Message when command.Source == CommandSource.Comment => SubmitOutcome.Accepted,
        _ when Steers(command, active) => active ? SubmitOutcome.Accepted : SubmitOutcome.NoActiveRun,
        // Feedback and checks on the agent's pull request wait for the active run, if any; the grain decides what they start.
        CommandKind.Iterate or CommandKind.Fix or CommandKind.Autofix or CommandKind.HeadPushed =>
            state.PullRequest(command.PullRequest?.Number) is not null ? SubmitOutcome.Accepted : SubmitOutcome.NotAgentPullRequest,
        _ when active => SubmitOutcome.RunAlreadyActive,
        CommandKind.Retry when !everRun && !command.RequiresPermission => SubmitOutcome.NothingToRetry,
        _ => SubmitOutcome.Accepted,
    };
}
