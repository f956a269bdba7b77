namespace SandboxAgents.Git;

/// <summary>Section <c>Git</c>: the service's own copy of each repository, and the commits it makes for runs.</summary>
public sealed class GitOptions
{
    public const string SectionName = "Git";

    /// <summary>Where the mirrors live; <c>{Storage:Path}/mirrors</c> when empty.</summary>
    public string? MirrorPath { get; set; }

    /// <summary>The largest bundle of changes taken back out of a sandbox.</summary>
    public long MaxChangesBytes { get; set; } = 100L * 1024 * 1024;

    public const string DefaultAuthorName = "sandbox-agent";
    public const string DefaultAuthorEmail = "sandbox-agent@users.noreply.github.com";

    /// <summary>
    /// Author and committer of the commit the service pushes for a run, when set; else the account the service's
    /// GitHub credentials act as (the App's bot, the token's user).
    /// </summary>
    public string? AuthorName { get; set; }

    public string? AuthorEmail { get; set; }

    public bool HasExplicitAuthor => !string.IsNullOrWhiteSpace(AuthorName) && !string.IsNullOrWhiteSpace(AuthorEmail);
}
