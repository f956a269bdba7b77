namespace SandboxAgents.Runs.Progress;

/// <summary>The run's timeline of tool calls (<see cref="RunRecord.Steps"/>): each call once, by its id, the newest kept.</summary>
public static class AgentSteps
{
    /// <summary>Steps kept per run; the oldest go first.</summary>
    public const int MaxSteps = 200;

    /// <summary>Appends the calls not seen before, stamped <paramref name="now"/>; true when one was new.</summary>
    public static bool Append(RunRecord run, IEnumerable<ToolCall> calls, DateTimeOffset now)
    {
        var seen = run.Steps.Select(s => s.CallId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var added = false;
        foreach (var call in calls)
        {
            if (!seen.Add(call.Id)) continue;
            run.Steps.Add(new AgentStep(now, call.Tool, call.Text, call.Id));
            added = true;
        }

        if (run.Steps.Count > MaxSteps) run.Steps.RemoveRange(0, run.Steps.Count - MaxSteps);
        return added;
    }
}
