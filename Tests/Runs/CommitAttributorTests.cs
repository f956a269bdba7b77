using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SandboxAgents.Git;
using SandboxAgents.GitHub;
using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Runs;

public sealed class CommitAttributorTests
{
    private static readonly IssueKey Issue = new("octo", "widgets", 7);
    private readonly FakeGitHubUsers _users = new();

    private CommitAttributor Attributor(GitOptions? git = null) => new(_users, Options.Create(git ?? new GitOptions()), NullLogger<CommitAttributor>.Instance);

    [Fact]
    public async Task Decide_NoConfiguredAuthor_IsTheServiceAccount_WithTheRequesterAsCoAuthor()
    {
        _users.Users["mona"] = new GitHubAccount("mona", 583231, "Mona Lisa");

        var attribution = await Attributor().DecideAsync(Issue, "mona", CancellationToken.None);

        Assert.Equal(new CommitAttribution("sandbox-agents[bot]", "41898282+sandbox-agents[bot]@users.noreply.github.com", "Mona Lisa <583231+mona@users.noreply.github.com>"), attribution);
        Assert.Equal("Co-authored-by: Mona Lisa <583231+mona@users.noreply.github.com>", attribution.Trailer);
    }

    [Fact]
    public async Task Decide_ConfiguredAuthor_WinsOverTheServiceAccount()
    {
        var attribution = await Attributor(new GitOptions { AuthorName = "Release Bot", AuthorEmail = "release@example.com" }).DecideAsync(Issue, "mona", CancellationToken.None);

        Assert.Equal(("Release Bot", "release@example.com"), (attribution.AuthorName, attribution.AuthorEmail));
    }

    [Fact]
    public async Task Decide_RequesterWithoutAName_IsNamedByLogin()
    {
        _users.Users["octocat"] = new GitHubAccount("octocat", 1);

        Assert.Equal("octocat <1+octocat@users.noreply.github.com>", (await Attributor().DecideAsync(Issue, "octocat", CancellationToken.None)).CoAuthor);
    }

    [Fact]
    public async Task Decide_RequesterUnknownToGitHub_StillNamesTheLogin()
    {
        Assert.Equal("ghost-user <ghost-user@users.noreply.github.com>", (await Attributor().DecideAsync(Issue, "ghost-user", CancellationToken.None)).CoAuthor);
    }
}
