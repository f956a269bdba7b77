using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>With a personal access token, the service's commit is the token user's (<c>GET /user</c>).</summary>
[Collection(LocalServiceCollection.Name)]
public sealed class TokenCommitAuthorTests(LocalServiceFixture service)
{
    [Fact]
    public async Task Commit_IsAuthoredByTheTokensUser_AndNamesAnUnknownRequesterByLogin()
    {
        var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, 251, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = "Fix teh typo [edit]";
        await service.SendWebhookAsync("issues", payload);

        var done = await service.WaitForStateAsync(251, "Succeeded");

        var commit = BareRepository.Git(service.Git.Path, "log", "-1", "--format=%an <%ae>|%B", done["branch"]!.GetValue<string>()).Trim().Split('|');
        Assert.Equal($"{FakeGitHubServer.PatLogin} <{FakeGitHubServer.PatUserId}+{FakeGitHubServer.PatLogin}@users.noreply.github.com>", commit[0]);
        Assert.EndsWith("\n\nCo-authored-by: maintainer <maintainer@users.noreply.github.com>", commit[1].TrimEnd());
    }
}
