namespace SandboxAgents.Runs;

/// <summary>A new run as it enters the issue's history: queued, with its settings resolved and its identity chosen.</summary>
public static class QueuedRun
{
    public static RunRecord Create(
        IssueKey issue, CommandSource source, string actor, IssueText text, string? instructions, RunSettings settings,
        string? requestedModel, DateTimeOffset now, string note)
    {
        var runId = RunIdentity.NewRunId();
        return new RunRecord
        {
            RunId = runId,
            State = RunState.Queued,
            Source = source,
            RequestedBy = actor,
            Issue = text,
            Instructions = instructions,
            Branch = RunIdentity.Branch(issue, runId),
            SandboxName = RunIdentity.SandboxName(issue, runId),
            Transitions = [new StateChange(RunState.Queued, now, note)],
            StoredSettings = settings,
            RequestedModel = requestedModel,
            Version = 1,
        };
    }
}
