using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Unit;

/// <summary><see cref="OctokitGitHubIssues.ListRecentCommentsAsync"/> against the HTTP fake, which pages as GitHub does.</summary>
public sealed class OctokitRecentCommentsTests : IAsyncLifetime
{
    private static readonly IssueKey Issue = IssueKey.Parse("octo/widgets#8");
    private FakeGitHubServer _gitHub = null!;
    private PersonalAccessToken? _credentials;

    public async Task InitializeAsync() => _gitHub = await FakeGitHubServer.StartAsync();

    public async Task DisposeAsync()
    {
        _credentials?.Dispose();
        await _gitHub.DisposeAsync();
    }

    private OctokitGitHubIssues Issues()
    {
        var options = Options.Create(new GitHubOptions { ApiUrl = _gitHub.BaseUrl, Token = FakeGitHubServer.Token });
        var api = new GitHubApi(options);
        _credentials = new PersonalAccessToken(options, api);
        return new OctokitGitHubIssues(api, _credentials);
    }

    private int CommentPageRequests() => _gitHub.Requests.Count(r => r.PathAndQuery.Contains("/issues/8/comments", StringComparison.Ordinal));

    [Fact]
    public async Task ListRecent_LongDiscussion_ReadsTheLastPagesOnly_NewestKeptOldestFirst()
    {
        for (var i = 1; i <= 250; i++) _gitHub.AddComment(Issue.RepositoryFullName, Issue.Number, i % 2 == 0 ? "writer" : "helper-bot", $"comment {i}", i % 2 == 0 ? "User" : "Bot");

        var comments = await Issues().ListRecentCommentsAsync(Issue, 120, CancellationToken.None);

        Assert.Equal(Enumerable.Range(131, 120).Select(i => $"comment {i}"), comments.Select(c => c.Body));
        Assert.Equal(("writer", false), (comments[^1].Author, comments[^1].ByBot));
        Assert.Equal(("helper-bot", true), (comments[^2].Author, comments[^2].ByBot));
        Assert.Equal(3, CommentPageRequests());
        Assert.Contains(_gitHub.Requests, r => r.PathAndQuery.Contains("page=3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListRecent_ShortDiscussion_OneRequest()
    {
        _gitHub.AddComment(Issue.RepositoryFullName, Issue.Number, "writer", "only one");

        var comments = await Issues().ListRecentCommentsAsync(Issue, 50, CancellationToken.None);

        Assert.Equal("only one", Assert.Single(comments).Body);
        Assert.Equal(1, CommentPageRequests());
    }
}
