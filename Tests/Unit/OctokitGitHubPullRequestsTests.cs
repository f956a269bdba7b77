using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Unit;

public sealed class OctokitGitHubPullRequestsTests : IAsyncLifetime
{
    private const string Repository = "octo/widgets";
    private static readonly IssueKey Issue = IssueKey.Parse("octo/widgets#5");

    private FakeGitHubServer _gitHub = null!;
    private PersonalAccessToken _credentials = null!;
    private OctokitGitHubIssues _issues = null!;
    private OctokitGitHubPullRequests _pulls = null!;

    public async Task InitializeAsync()
    {
        _gitHub = await FakeGitHubServer.StartAsync();
        var options = Options.Create(new GitHubOptions { ApiUrl = _gitHub.BaseUrl, Token = FakeGitHubServer.Token });
        var api = new GitHubApi(options);
        _credentials = new PersonalAccessToken(options, api);
        _issues = new OctokitGitHubIssues(api, _credentials);
        _pulls = new OctokitGitHubPullRequests(api, _credentials);
    }

    public async Task DisposeAsync()
    {
        _credentials.Dispose();
        await _gitHub.DisposeAsync();
    }

    [Fact]
    public async Task GetAsync_OpenedThenPushedAndMerged_FollowsThePullRequest()
    {
        var pullRequest = await OpenAsync("bot/issue-5", "Fixes #5");
        var opened = await _pulls.GetAsync(pullRequest, CancellationToken.None);
        var headSha = _gitHub.PullRequest(Repository, pullRequest.Number)!["head"]!["sha"]!.GetValue<string>();

        _gitHub.SetPullRequestHead(Repository, pullRequest.Number, "1111111111111111111111111111111111111111");
        var pushed = await _pulls.GetAsync(pullRequest, CancellationToken.None);
        _gitHub.ClosePullRequest(Repository, pullRequest.Number, merged: true);
        var merged = await _pulls.GetAsync(pullRequest, CancellationToken.None);

        Assert.Matches("^[0-9a-f]{40}$", headSha);
        Assert.Equal(
            new PullRequestStatus(pullRequest.Number, $"https://github.example/{Repository}/pull/{pullRequest.Number}", true, false, "bot/issue-5", headSha, "Fixes #5"),
            opened);
        Assert.Equal("1111111111111111111111111111111111111111", pushed!.HeadSha);
        Assert.Equal((false, true), (merged!.Open, merged.Merged));
    }

    [Fact]
    public async Task GetAsync_NoSuchPullRequest_Null()
    {
        await OpenAsync("bot/issue-5", "Fixes #5");

        Assert.Null(await _pulls.GetAsync(IssueKey.Parse("octo/widgets#404"), CancellationToken.None));
        Assert.Null(await _pulls.GetAsync(IssueKey.Parse("octo/gadgets#1"), CancellationToken.None));
    }

    [Fact]
    public async Task UpdateBodyAsync_NewBody_GetReturnsItAndTheTitleStays()
    {
        var pullRequest = await OpenAsync("bot/issue-5", "Fixes #5");

        await _pulls.UpdateBodyAsync(pullRequest, "Fixes #5\n\nAddressed the review.", CancellationToken.None);

        Assert.Equal("Fixes #5\n\nAddressed the review.", (await _pulls.GetAsync(pullRequest, CancellationToken.None))!.Body);
        Assert.Equal("Fix the widgets", _gitHub.PullRequest(Repository, pullRequest.Number)!["title"]!.GetValue<string>());
        Assert.Equal("open", _gitHub.PullRequest(Repository, pullRequest.Number)!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateBodyAsync_NoSuchPullRequest_RefusedWith404()
    {
        var refused = await Assert.ThrowsAsync<GitHubRequestException>(() =>
            _pulls.UpdateBodyAsync(IssueKey.Parse("octo/widgets#404"), "body", CancellationToken.None));

        Assert.Equal(404, refused.StatusCode);
    }

    [Fact]
    public async Task ListReviewsAsync_MorePagesThanOne_EverySubmittedReviewWithItsFields()
    {
        var pullRequest = await OpenAsync("bot/issue-5", "Fixes #5");
        var changes = _gitHub.AddReview(Repository, pullRequest.Number, "alice", "CHANGES_REQUESTED", "Please rename it.", "abc123");
        var bot = _gitHub.AddReview(Repository, pullRequest.Number, "linter[bot]", "COMMENTED", "", "abc123", type: "Bot");
        _gitHub.AddReview(Repository, pullRequest.Number, "carol", "PENDING", "draft", "abc123");
        var more = Enumerable.Range(0, 33).Select(i => _gitHub.AddReview(Repository, pullRequest.Number, "bob", "APPROVED", $"ok {i}", "def456")).ToList();

        var reviews = await _pulls.ListReviewsAsync(pullRequest, CancellationToken.None);

        Assert.Equal([changes, bot, .. more], reviews.Select(r => r.Id));
        Assert.Equal(
            new PullRequestReview(changes, "alice", false, "CHANGES_REQUESTED", "Please rename it.", "abc123", reviews[0].SubmittedAt),
            reviews[0]);
        Assert.NotNull(reviews[0].SubmittedAt);
        Assert.True(reviews[1].ByBot);
        Assert.Equal("ok 32", reviews[^1].Body);
        Assert.True(_gitHub.CountOf("GET", $"/pulls/{pullRequest.Number}/reviews") >= 2);
    }

    [Fact]
    public async Task ListReviewCommentsAsync_MorePagesThanOne_EveryCommentWithItsFields()
    {
        var pullRequest = await OpenAsync("bot/issue-5", "Fixes #5");
        var review = _gitHub.AddReview(Repository, pullRequest.Number, "alice", "COMMENTED", "", "abc123");
        var first = _gitHub.AddReviewComment(Repository, pullRequest.Number, "alice", "src/Widget.cs", 12, "@@ -10,3 +10,4 @@\n+var x = 1;", "Rename x.", review);
        var reply = _gitHub.AddReviewComment(Repository, pullRequest.Number, "helper[bot]", "src/Widget.cs", 12, "@@ -10,3 +10,4 @@\n+var x = 1;", "Agreed.", null, inReplyTo: first, type: "Bot");
        var outdated = _gitHub.AddReviewComment(Repository, pullRequest.Number, "alice", "README.md", null, "@@ -1 +1 @@\n-# Widgets", "Typo.", review);
        foreach (var i in Enumerable.Range(0, 32)) _gitHub.AddReviewComment(Repository, pullRequest.Number, "bob", "src/Other.cs", i + 1, "@@ -1 +1 @@", $"nit {i}", null);

        var comments = await _pulls.ListReviewCommentsAsync(pullRequest, CancellationToken.None);

        Assert.Equal(35, comments.Count);
        Assert.Equal([first, reply, outdated], comments.Take(3).Select(c => c.Id));
        Assert.Equal(
            new ReviewComment(first, review, null, "alice", false, "src/Widget.cs", 12, "@@ -10,3 +10,4 @@\n+var x = 1;", "Rename x.", comments[0].CreatedAt),
            comments[0]);
        Assert.NotEqual(default, comments[0].CreatedAt);
        Assert.Equal((first, true, (long?)null), (comments[1].InReplyTo!.Value, comments[1].ByBot, comments[1].ReviewId));
        Assert.Equal(1, comments[2].Line);
        Assert.Equal("nit 31", comments[^1].Body);
    }

    [Fact]
    public async Task ListFailedChecksAsync_MixedRuns_OnlyCompletedFailuresWithOutputCapped()
    {
        var pullRequest = await OpenAsync("bot/issue-5", "Fixes #5");
        const string sha = "2222222222222222222222222222222222222222";
        var annotations = Enumerable.Range(1, 30).Select(i => new CheckAnnotation("src/Widget.cs", i, i + 1, "failure", $"CS0103 {i}", "Build error")).ToList();
        _gitHub.AddCheckRun(Repository, sha, "lint", "success", "All good", "Nothing found");
        _gitHub.AddCheckRun(Repository, sha, "docs", "neutral");
        _gitHub.AddCheckRun(Repository, sha, "e2e", null);
        var build = _gitHub.AddCheckRun(Repository, sha, "build", "failure", "2 errors", new string('s', 10_000), new string('t', 65_535), annotations);
        var slow = _gitHub.AddCheckRun(Repository, sha, "slow", "timed_out");
        var cancelled = _gitHub.AddCheckRun(Repository, sha, "cancelled-one", "cancelled");
        var approval = _gitHub.AddCheckRun(Repository, sha, "deploy", "action_required");
        var broken = _gitHub.AddCheckRun(Repository, sha, "broken", "startup_failure");
        _gitHub.AddCheckRun(Repository, sha, "flaky", "failure");
        _gitHub.AddCheckRun(Repository, sha, "flaky", "success");
        _gitHub.AddCheckRun(Repository, "3333333333333333333333333333333333333333", "other-commit", "failure");

        var failed = await _pulls.ListFailedChecksAsync(pullRequest, sha, CancellationToken.None);

        Assert.Equal([build, slow, cancelled, approval, broken], failed.Select(c => c.Id));
        var first = failed[0];
        Assert.Equal(("build", "failure", "2 errors", $"https://github.example/{Repository}/runs/{build}"), (first.Name, first.Conclusion, first.Title, first.Url));
        Assert.Equal(FailedCheckPolicy.MaxOutputLength, first.Summary!.Length);
        Assert.Equal(FailedCheckPolicy.MaxOutputLength, first.Text!.Length);
        Assert.Equal(annotations.Take(20), first.Annotations);
        Assert.Equal(["timed_out", "cancelled", "action_required", "startup_failure"], failed.Skip(1).Select(c => c.Conclusion));
        Assert.All(failed.Skip(1), c => Assert.Equal((null, null, null, 0), (c.Title, c.Summary, c.Text, c.Annotations.Count)));
        Assert.Equal(1, _gitHub.CountOf("GET", $"/check-runs/{build}/annotations"));
        Assert.Equal(0, _gitHub.CountOf("GET", $"/check-runs/{slow}/annotations"));
    }

    [Fact]
    public async Task ListFailedChecksAsync_FailuresPastTheFirstPage_AtMostTenOldestFirst()
    {
        var pullRequest = await OpenAsync("bot/issue-5", "Fixes #5");
        const string sha = "4444444444444444444444444444444444444444";
        var passing = Enumerable.Range(0, 30).Select(i => _gitHub.AddCheckRun(Repository, sha, $"pass-{i}", "success")).ToList();
        var failing = Enumerable.Range(0, 12).Select(i => _gitHub.AddCheckRun(Repository, sha, $"fail-{i}", "failure")).ToList();

        var failed = await _pulls.ListFailedChecksAsync(pullRequest, sha, CancellationToken.None);

        Assert.Equal(failing.Take(FailedCheckPolicy.MaxChecks), failed.Select(c => c.Id));
        Assert.True(_gitHub.CountOf("GET", $"/commits/{sha}/check-runs") >= 2);
        Assert.NotEmpty(passing);
    }

    [Fact]
    public async Task ListReviewsAsync_ServerError_UnavailableNotOctokits()
    {
        var pullRequest = await OpenAsync("bot/issue-5", "Fixes #5");
        _gitHub.FailNext("GET", $"/pulls/{pullRequest.Number}/reviews", 1, GitHubFaultKind.ServerError);

        await Assert.ThrowsAsync<GitHubUnavailableException>(() => _pulls.ListReviewsAsync(pullRequest, CancellationToken.None));
    }

    [Fact]
    public async Task ListFailedChecksAsync_SecondaryRateLimit_RateLimitedWithItsWait()
    {
        var pullRequest = await OpenAsync("bot/issue-5", "Fixes #5");
        _gitHub.FailNext("GET", "/check-runs", 1, GitHubFaultKind.SecondaryRateLimit, retryAfter: TimeSpan.FromSeconds(60));

        var limited = await Assert.ThrowsAsync<GitHubRateLimitedException>(() =>
            _pulls.ListFailedChecksAsync(pullRequest, "5555555555555555555555555555555555555555", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(60), limited.RetryAfter);
    }

    /// <summary>Opens a pull request the way the service does, so the fake holds it as GitHub would.</summary>
    private async Task<IssueKey> OpenAsync(string branch, string body)
    {
        var opened = await _issues.CreatePullRequestAsync(Issue, new NewPullRequestSpec("Fix the widgets", branch, "main", body, Draft: false), CancellationToken.None);
        return new IssueKey(Issue.Owner, Issue.Repository, opened.Number);
    }
}
