using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

[Collection(LocalServiceCollection.Name)]
public sealed class SecretHandlingTests(LocalServiceFixture service)
{
    [Fact]
    public async Task AgentThatPrintsItsKey_KeyAndTokensAppearInNoCommentPullRequestLogOrApiAnswer()
    {
        var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, 201, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = "Dump the environment [env]";

        await service.SendWebhookAsync("issues", payload);
        var done = await service.WaitForStateAsync(201, "Succeeded");

        // The agent saw exactly its own environment: the run's variables, the way to the model through the egress
        // proxy with a placeholder key, none of the service's, and neither the model key nor the GitHub token.
        var environment = service.Git.Show(done["branch"]!.GetValue<string>(), "environment.txt");
        Assert.Contains($"ANTHROPIC_API_KEY={SandboxAgents.Sandboxes.Egress.EgressEndpoint.PlaceholderApiKey}", environment);
        Assert.Contains("ANTHROPIC_BASE_URL=http://127.0.0.1:3128/model", environment);
        Assert.Contains("HTTPS_PROXY=http://127.0.0.1:3128", environment);
        Assert.DoesNotContain(ServiceFixture.AnthropicKey, environment);
        Assert.Contains("AGENT_TASK_FILE=", environment);
        Assert.DoesNotContain(FakeGitHubServer.Token, environment);
        Assert.DoesNotContain(ServiceFixture.WebhookSecret, environment);
        Assert.DoesNotContain("DOTNET_", environment);
        Assert.DoesNotContain("GIT_CONFIG", environment);

        var pull = Assert.Single(service.GitHub.PullRequestsFor(ServiceFixture.Repository), p => p["head"]!["ref"]!.GetValue<string>() == done["branch"]!.GetValue<string>());
        var api = (await service.GetTaskAsync(201))!.ToJsonString();
        var shown = new[] { pull["body"]!.GetValue<string>(), api, string.Join('\n', service.GitHub.CommentsOn(ServiceFixture.Repository, 201).Select(c => c["body"]!.GetValue<string>())) }
            .Concat(service.Logs.Lines);
        foreach (var text in shown)
        {
            Assert.DoesNotContain(ServiceFixture.AnthropicKey, text);
            Assert.DoesNotContain(FakeGitHubServer.Token, text);
            Assert.DoesNotContain(ServiceFixture.WebhookSecret, text);
        }

        Assert.Contains("[redacted]", pull["body"]!.GetValue<string>());
        Assert.Contains(service.Logs.Lines, l => l.Contains("issue-201", StringComparison.Ordinal) || l.Contains("#201", StringComparison.Ordinal));
    }
}
