namespace SandboxAgents.Sandboxes.Egress;

/// <summary>The parsed <see cref="NetworkOptions.EffectiveAllow"/>: which tunnel targets a sandbox may reach.</summary>
internal sealed class AllowList(IReadOnlyList<AllowRule> rules)
{
    public static AllowList Parse(IEnumerable<string> entries) => new([.. entries.Select(AllowRule.Parse)]);

    /// <summary>The first entry the target matches, or null when none does.</summary>
    public AllowRule? Match(HostPort target) => rules.FirstOrDefault(rule => rule.Matches(target));
}
