namespace SandboxAgents;

/// <summary>One issue's latest run as the registry lists it; <see cref="CommentStale"/> as in <see cref="RunSummary"/>.</summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.RunEntry")]
public sealed record RunEntry(
    [property: Id(0)] string Key,
    [property: Id(1)] string Repository,
    [property: Id(2)] int Number,
    [property: Id(3)] string RunId,
    [property: Id(4)] RunState State,
    [property: Id(5)] string RequestedBy,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] DateTimeOffset? EndedAt,
    [property: Id(9)] string? PullRequestUrl,
    [property: Id(10)] decimal? CostUsd,
    [property: Id(11)] string? Title,
    [property: Id(12)] bool CommentStale = false,
    [property: Id(13)] int Iteration = 1,
    [property: Id(14)] CommandSource Source = CommandSource.Label);

/// <summary>A page of the registry, newest first.</summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.RunPage")]
public sealed record RunPage(
    [property: Id(0)] IReadOnlyList<RunEntry> Items,
    [property: Id(1)] int Page,
    [property: Id(2)] int PageSize,
    [property: Id(3)] int Total);

/// <summary>Which runs a page shows: all by default, or one state and/or one repository (<c>owner/repo</c>).</summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.RunQuery")]
public sealed record RunQuery(
    [property: Id(0)] RunState? State = null,
    [property: Id(1)] string? Repository = null,
    [property: Id(2)] int Page = 1,
    [property: Id(3)] int PageSize = 50);
