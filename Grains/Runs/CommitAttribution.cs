namespace SandboxAgents.Runs;

/// <summary>
/// Who a run's commit names, decided once per run and kept with it, so that a publish repeated after a crash makes
/// the same commit: its author (and committer), and the person who asked for the run as co-author. Public names only.
/// </summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.Runs.CommitAttribution")]
public sealed record CommitAttribution(
    [property: Id(0)] string AuthorName,
    [property: Id(1)] string AuthorEmail,
    [property: Id(2)] string CoAuthor)
{
    /// <summary>GitHub's trailer that credits the requester on the commit: <c>Co-authored-by: Name &lt;email&gt;</c>.</summary>
    public string Trailer => $"Co-authored-by: {CoAuthor}";
}
