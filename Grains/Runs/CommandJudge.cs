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
            else if (!active && Judge(earlier, active, everRun) == SubmitOutcome.Accepted) (active, everRun) = (true, true);
        }

        return Judge(command, active, everRun);
    }

    private static SubmitOutcome Judge(IssueCommand command, bool active, bool everRun) => command.Kind switch
    {
        // Losing GitHub access is taken even with nothing running: it marks the runs whose comments can no longer be written.
        CommandKind.Cancel when command.WithdrawsGitHubAccess => SubmitOutcome.Accepted,
        CommandKind.Cancel => active ? SubmitOutcome.Accepted : SubmitOutcome.NoActiveRun,
        _ when active => SubmitOutcome.RunAlreadyActive,
        CommandKind.Retry when !everRun && !command.RequiresPermission => SubmitOutcome.NothingToRetry,
        _ => SubmitOutcome.Accepted,
    };
}
