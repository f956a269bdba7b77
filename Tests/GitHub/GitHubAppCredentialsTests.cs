using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SandboxAgents.GitHub;
using SandboxAgents.GitHub.App;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.GitHub;

/// <summary>Installation tokens against the fake GitHub: scoped, cached, refreshed and revoked as GitHub would see it.</summary>
public sealed class GitHubAppCredentialsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private FakeGitHubServer _gitHub = null!;
    private GitHubApi _api = null!;
    private AppJwt _jwt = null!;
    private GitHubAppCredentials _credentials = null!;

    private static GitHubTokenScope Run(string runId, string repository = "widgets") => new("octo", repository, runId);

    private static readonly GitHubTokenScope Service = new("octo", "widgets", null);

    public async Task InitializeAsync()
    {
        _gitHub = await FakeGitHubServer.StartAsync();
        _gitHub.Clock = _clock;
        var app = _gitHub.EnableApp("octo/widgets", "octo/gadgets");
        var options = Options.Create(new GitHubOptions { ApiUrl = _gitHub.BaseUrl, AppId = FakeGitHubApp.Id, PrivateKey = app.PrivateKeyPem });
        _api = new GitHubApi(options);
        _jwt = new AppJwt(options, _clock);
        _credentials = new GitHubAppCredentials(new GitHubAppClient(_api, _jwt), _clock, NullLogger<GitHubAppCredentials>.Instance);
    }

    public async Task DisposeAsync()
    {
        _credentials.Dispose();
        _jwt.Dispose();
        await _gitHub.DisposeAsync();
    }

    private async Task<HttpStatusCode> GetIssueCommentsAsync(string token, string repository = "octo/widgets")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_gitHub.BaseUrl, $"api/v3/repos/{repository}/issues/1/comments"));
        request.Headers.Authorization = new("token", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task GetToken_ForARun_IsScopedToItsRepositoryWithTheRunsPermissions()
    {
        var token = await _credentials.GetTokenAsync(Run("r1"), CancellationToken.None);

        var issued = Assert.Single(_gitHub.IssuedTokens);
        Assert.Equal(token, issued.Token);
        Assert.StartsWith("ghs_", token);
        Assert.Equal(["octo/widgets"], issued.Repositories);
        Assert.Equal(new Dictionary<string, string> { ["contents"] = "write", ["issues"] = "write", ["pull_requests"] = "write", ["metadata"] = "read" }, issued.Permissions);
        Assert.Equal(HttpStatusCode.OK, await GetIssueCommentsAsync(token!));
        Assert.Equal(HttpStatusCode.NotFound, await GetIssueCommentsAsync(token!, "octo/gadgets"));
        Assert.Single(_gitHub.Requests, r => r.PathAndQuery == "/api/v3/repos/octo/widgets/installation");
    }

    [Fact]
    public async Task GetToken_AgainBeforeItExpires_IsTheSameToken_AfterwardsANewOne()
    {
        var first = await _credentials.GetTokenAsync(Run("r1"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(first, await _credentials.GetTokenAsync(Run("r1"), CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(6));
        var second = await _credentials.GetTokenAsync(Run("r1"), CancellationToken.None);

        Assert.NotEqual(first, second);
        Assert.Equal(2, _gitHub.IssuedTokens.Count);
        Assert.Single(_gitHub.Requests, r => r.PathAndQuery == "/api/v3/repos/octo/widgets/installation");
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetIssueCommentsAsync(first!));
        Assert.Equal(HttpStatusCode.OK, await GetIssueCommentsAsync(second!));
    }

    [Fact]
    public async Task ReleaseRun_RevokesThatRunsTokenOnly()
    {
        var one = await _credentials.GetTokenAsync(Run("r1"), CancellationToken.None);
        var other = await _credentials.GetTokenAsync(Run("r2"), CancellationToken.None);
        var service = await _credentials.GetTokenAsync(Service, CancellationToken.None);

        await _credentials.ReleaseRunAsync(Run("r1"), CancellationToken.None);
        await _credentials.ReleaseRunAsync(Run("r1"), CancellationToken.None);

        Assert.Equal(3, new HashSet<string?> { one, other, service }.Count);
        Assert.Single(_gitHub.Requests, r => r is { Method: "DELETE", PathAndQuery: "/api/v3/installation/token" });
        Assert.Equal(HttpStatusCode.Unauthorized, await GetIssueCommentsAsync(one!));
        Assert.Equal(HttpStatusCode.OK, await GetIssueCommentsAsync(other!));
        Assert.Equal(HttpStatusCode.OK, await GetIssueCommentsAsync(service!));
    }

    [Fact]
    public async Task GetToken_ForTheService_HasOnlyWhatCallsOutsideRunsNeed()
    {
        var token = await _credentials.GetTokenAsync(Service, CancellationToken.None);

        var issued = Assert.Single(_gitHub.IssuedTokens);
        Assert.Equal(new Dictionary<string, string> { ["issues"] = "write", ["pull_requests"] = "read", ["checks"] = "read", ["metadata"] = "read" }, issued.Permissions);
        Assert.Equal(["octo/widgets"], issued.Repositories);
        Assert.Equal(token, await _credentials.GetTokenAsync(Service, CancellationToken.None));
    }

    [Fact]
    public async Task GetToken_InstallationNotedFromAWebhook_IsNotLookedUp()
    {
        _credentials.NoteInstallation("Octo", "Widgets", FakeGitHubApp.InstallationId);

        await _credentials.GetTokenAsync(Run("r1"), CancellationToken.None);

        Assert.DoesNotContain(_gitHub.Requests, r => r.PathAndQuery.EndsWith("/installation", StringComparison.Ordinal));
        Assert.Single(_gitHub.IssuedTokens);
    }

    [Fact]
    public async Task GetAccount_IsTheAppsBotUser()
    {
        var account = await _credentials.GetAccountAsync(Service, CancellationToken.None);

        Assert.Equal(new GitHubAccount("sandbox-agents-test[bot]", FakeGitHubApp.BotUserId), account);
        Assert.Equal($"{FakeGitHubApp.BotUserId}+sandbox-agents-test[bot]@users.noreply.github.com", account.NoReplyEmail);
        Assert.All(_gitHub.VerifiedJwts, jwt => Assert.Equal(FakeGitHubApp.Id, jwt.Issuer));
    }
}
