using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.GitHub;

/// <summary>The Octokit adapter turns GitHub's failures, as GitHub sends them, into the port's own exceptions with the waits GitHub gave.</summary>
public sealed class OctokitGitHubIssuesFailureTests : IAsyncLifetime
{
    private static readonly IssueKey Issue = new("octo", "widgets", 1);
    private FakeGitHubServer _server = null!;
    private OctokitGitHubIssues _adapter = null!;
    private PersonalAccessToken _credentials = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeGitHubServer.StartAsync();
        var options = Options.Create(new GitHubOptions { ApiUrl = _server.BaseUrl, Token = FakeGitHubServer.Token });
        var api = new GitHubApi(options);
        _credentials = new PersonalAccessToken(options, api);
        _adapter = new OctokitGitHubIssues(api, _credentials);
    }

    public async Task DisposeAsync()
    {
        _credentials.Dispose();
        await _server.DisposeAsync();
    }

    private Task<PullRequestRef> CreatePullRequestAsync() =>
        _adapter.CreatePullRequestAsync(Issue, new NewPullRequestSpec("t", "agent/x", "main", "b", Draft: true), CancellationToken.None);

    [Fact]
    public async Task SecondaryLimit_WithRetryAfter_IsARateLimitWithThatWait()
    {
        _server.FailNext("POST", "/pulls", 1, GitHubFaultKind.SecondaryRateLimit, retryAfter: TimeSpan.FromSeconds(60));

        var limit = await Assert.ThrowsAsync<GitHubRateLimitedException>(CreatePullRequestAsync);

        Assert.Equal(TimeSpan.FromSeconds(60), limit.RetryAfter);
        var answeredAt = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(answeredAt.AddSeconds(60), limit.AllowedFrom(answeredAt));
        Assert.DoesNotContain("Octokit", limit.GetType().Namespace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondaryLimit_WithoutRetryAfter_IsARateLimitThatDoesNotSayHowLong()
    {
        _server.FailNext("POST", "/pulls", 1, GitHubFaultKind.SecondaryRateLimit);

        var limit = await Assert.ThrowsAsync<GitHubRateLimitedException>(CreatePullRequestAsync);

        Assert.Null(limit.AllowedFrom(DateTimeOffset.UnixEpoch));
        var now = DateTimeOffset.UnixEpoch;
        Assert.True(GitHubBackoff.NextAttempt(limit, 1, now) >= now + TimeSpan.FromMinutes(1));
        Assert.True(GitHubBackoff.NextAttempt(limit, 3, now) >= now + TimeSpan.FromMinutes(4));
    }

    [Fact]
    public async Task PrimaryLimit_RemainingZero_WaitsUntilTheReset()
    {
        var reset = new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);
        _server.FailNext("PATCH", "/issues/comments/5", 1, GitHubFaultKind.PrimaryRateLimit, resetAt: reset);

        var limit = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => _adapter.UpdateCommentAsync(Issue, 5, "body", CancellationToken.None));

        Assert.Equal(reset, limit.ResetAt);
        Assert.Equal(reset, limit.AllowedFrom(reset.AddMinutes(-10)));
    }

    [Fact]
    public async Task TooManyRequests_IsARateLimit_ThoughOctokitDoesNotMapIt()
    {
        _server.FailNext("POST", "/issues/1/comments", 1, GitHubFaultKind.TooManyRequests, retryAfter: TimeSpan.FromSeconds(30));

        var limit = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => _adapter.CreateCommentAsync(Issue, "body", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(30), limit.RetryAfter);
    }

    [Fact]
    public async Task ServerError_AndDroppedConnection_AreUnavailable()
    {
        _server.FailNext("GET", "/collaborators/someone/permission", 1, GitHubFaultKind.ServerError);
        _server.FailNext("GET", "/collaborators/someone/permission", 1, GitHubFaultKind.DroppedConnection);

        await Assert.ThrowsAsync<GitHubUnavailableException>(() => _adapter.GetPermissionAsync("octo", "widgets", "someone", CancellationToken.None));
        await Assert.ThrowsAsync<GitHubUnavailableException>(() => _adapter.GetPermissionAsync("octo", "widgets", "someone", CancellationToken.None));
        Assert.Equal("write", await _adapter.GetPermissionAsync("octo", "widgets", "someone", CancellationToken.None));
    }

    [Fact]
    public async Task OtherRefusals_AreRequestExceptions_NotFoundStaysAnAnswer()
    {
        var refused = await Assert.ThrowsAsync<GitHubRequestException>(() => _adapter.UpdateCommentAsync(Issue, 404_404, "body", CancellationToken.None));

        Assert.Equal(404, refused.StatusCode);
        Assert.Null(await _adapter.GetIssueAsync(Issue, CancellationToken.None));
    }
}
