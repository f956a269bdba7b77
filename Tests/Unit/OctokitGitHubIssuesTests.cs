using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Unit;

public sealed class OctokitGitHubIssuesTests : IAsyncLifetime
{
    private FakeGitHubServer _gitHub = null!;

    public async Task InitializeAsync() => _gitHub = await FakeGitHubServer.StartAsync();

    public async Task DisposeAsync() => await _gitHub.DisposeAsync();

    [Fact]
    public async Task GetIssueAsync_OverlongTitleAndBody_CappedAtGitHubsLimits()
    {
        _gitHub.Issues["octo/widgets#5"] = (new string('t', 300), new string('b', 70_000));
        var options = Options.Create(new GitHubOptions { ApiUrl = _gitHub.BaseUrl, Token = FakeGitHubServer.Token });
        var api = new GitHubApi(options);
        using var credentials = new PersonalAccessToken(options, api);
        var issues = new OctokitGitHubIssues(api, credentials);

        var text = await issues.GetIssueAsync(IssueKey.Parse("octo/widgets#5"), CancellationToken.None);

        Assert.Equal(IssueText.MaxTitleLength, text!.Title.Length);
        Assert.Equal(IssueText.MaxBodyLength, text.Body.Length);
    }
}
