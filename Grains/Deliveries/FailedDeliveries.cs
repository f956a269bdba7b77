using SandboxAgents.GitHub.App;

namespace SandboxAgents.Deliveries;

/// <summary>
/// Which deliveries to ask GitHub for again: per event (its GUID, shared by every attempt), the newest attempt, when
/// no attempt succeeded and the failure was the service not answering (no connection, a time-out, a 5xx, 429). A 4xx
/// was the service refusing the delivery on purpose (a bad signature, too large), so sending it again cannot help.
/// </summary>
public static class FailedDeliveries
{
    public static IReadOnlyList<long> ToRedeliver(IEnumerable<HookDelivery> deliveries) =>
        [.. deliveries
            .GroupBy(d => d.EventGuid, StringComparer.Ordinal)
            .Where(attempts => !attempts.Any(a => a.Succeeded))
            .Select(attempts => attempts.MaxBy(a => a.Id)!)
            .Where(newest => IsUnanswered(newest.StatusCode))
            .Select(newest => newest.Id)
            .Order()];

    private static bool IsUnanswered(int statusCode) => statusCode is 0 or 408 or 429 or >= 500;
}
