namespace SandboxAgents.Runs.Iterations;

/// <summary>
/// What an iteration's agent is given, read from GitHub when the iteration is queued and kept with the run so that a
/// replay composes the same task: the reviews and line comments of people with write access, the failing checks'
/// output, and what earlier iterations said they did. Every text here was written by someone the service does not
/// trust (reviewers, CI, the agent itself): the task fences it.
/// </summary>
[GenerateSerializer, Alias("SandboxAgents.Runs.Iterations.IterationFeedback")]
public sealed class IterationFeedback
{
    [Id(0)] public int PullRequest { get; set; }
    [Id(1)] public List<ReviewNote> Reviews { get; set; } = [];
    [Id(2)] public List<LineNote> Comments { get; set; } = [];
    [Id(3)] public string? FailingHead { get; set; }
    [Id(4)] public List<CheckNote> Checks { get; set; } = [];
    [Id(5)] public List<string> EarlierIterations { get; set; } = [];

    public bool IsEmpty => Reviews.Count == 0 && Comments.Count == 0 && Checks.Count == 0;
}

[GenerateSerializer, Immutable, Alias("SandboxAgents.Runs.Iterations.ReviewNote")]
public sealed record ReviewNote([property: Id(0)] string Author, [property: Id(1)] string State, [property: Id(2)] string Body);

[GenerateSerializer, Immutable, Alias("SandboxAgents.Runs.Iterations.LineNote")]
public sealed record LineNote(
    [property: Id(0)] string Author, [property: Id(1)] string Path, [property: Id(2)] int? Line, [property: Id(3)] string DiffHunk, [property: Id(4)] string Body);

[GenerateSerializer, Immutable, Alias("SandboxAgents.Runs.Iterations.CheckNote")]
public sealed record CheckNote(
    [property: Id(0)] string Name, [property: Id(1)] string Conclusion, [property: Id(2)] string Output, [property: Id(3)] IReadOnlyList<string> Annotations);
