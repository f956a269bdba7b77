using System.Collections.Frozen;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>The conclusions of a check suite or workflow run that mean the head commit is broken.</summary>
public static class CheckConclusions
{
    private static readonly FrozenSet<string> Failing =
        FrozenSet.Create(StringComparer.Ordinal, "failure", "timed_out", "action_required", "startup_failure");

    public static bool IsFailing(string? conclusion) => conclusion is not null && Failing.Contains(conclusion);
}
