namespace SandboxAgents.Bench.Load;

/// <summary>One kind of delivery driven at every target: its name in the table and its pre-signed requests.</summary>
public sealed record Scenario(string Name, IReadOnlyList<Delivery> Deliveries, bool ReachesGrain)
{
    public static IReadOnlyList<Scenario> All(int issues) =>
    [
        new("ordinary (issue_comment, ignored)", Load.Deliveries.Ordinary(LoadArguments.Secret, issues), ReachesGrain: false),
        new($"command (`/agent cancel`, {issues} idle issues)", Load.Deliveries.Cancel(LoadArguments.Secret, issues), ReachesGrain: true),
    ];
}

/// <summary>One line of the table: a scenario at a target, how it was driven, what it gave.</summary>
public sealed record Row(string Scenario, string Target, string Mode, LoadResult Result, double? Ratio = null, long? GrainCalls = null);
