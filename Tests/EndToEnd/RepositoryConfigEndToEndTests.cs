using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>
/// The repository's <c>.github/sandbox-agents.yml</c> through the whole service and a real git repository: read at
/// the default branch's head, never from another branch. Each test that puts the file on <c>main</c> takes it away
/// again, so the other tests of the collection see the repository as before.
/// </summary>
[Collection(LocalServiceCollection.Name)]
public sealed class RepositoryConfigEndToEndTests(LocalServiceFixture service)
{
    private const string ConfigPath = ".github/sandbox-agents.yml";

    private void Push(string branch, string? config)
    {
        var seed = Directory.CreateTempSubdirectory("config-seed-").FullName;
        try
        {
            BareRepository.Git(seed, "clone", "--quiet", service.Git.Path, ".");
            BareRepository.Git(seed, "checkout", "--quiet", "-B", branch);
            var file = Path.Combine(seed, ConfigPath);
            if (config is null) File.Delete(file);
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, config);
            }

            BareRepository.Git(seed, "add", "-A");
            BareRepository.Git(seed, "-c", "user.name=Maintainer", "-c", "user.email=m@example.com", "commit", "--quiet", "-m", "config");
            BareRepository.Git(seed, "push", "--quiet", "--force", "origin", $"HEAD:refs/heads/{branch}");
        }
        finally
        {
            Directory.Delete(seed, recursive: true);
        }
    }

    private async Task<string> EnvironmentOfRunAsync(int number, string comment = "/agent run")
    {
        var payload = Payloads.For("issue_comment.created", ServiceFixture.Repository, number, sender: "maintainer", comment: comment);
        payload["issue"]!["title"] = "Show the environment [env]";
        await service.SendWebhookAsync("issue_comment", payload);
        var done = await service.WaitForStateAsync(number, "Succeeded");
        return service.Git.Show(done["branch"]!.GetValue<string>(), "environment.txt");
    }

    [Fact]
    public async Task FileOnTheDefaultBranch_SetsTheRunsModelLimitsAndBranch()
    {
        Push("main", "model: repo-model\nmaxTurns: 7\nbranchPrefix: bot/\n");
        try
        {
            var environment = await EnvironmentOfRunAsync(1101);

            Assert.Contains("AGENT_MODEL=repo-model\n", environment);
            Assert.Contains("AGENT_MAX_TURNS=7\n", environment);
            Assert.Contains("RUN_BRANCH=bot/issue-1101-", environment);
            var pull = Assert.Single(service.GitHub.PullRequestsFor(ServiceFixture.Repository), p => p["head"]!["ref"]!.GetValue<string>().StartsWith("bot/issue-1101-", StringComparison.Ordinal));
            Assert.Contains("model: repo-model", pull["body"]!.GetValue<string>());
        }
        finally
        {
            Push("main", null);
        }
    }

    [Fact]
    public async Task FileOnlyOnAnotherBranch_ChangesNothing()
    {
        Push("config-elsewhere", "model: repo-model\nmaxTurns: 7\nbranchPrefix: bot/\n");

        var environment = await EnvironmentOfRunAsync(1102);

        Assert.DoesNotContain("AGENT_MODEL=", environment);
        Assert.Contains("AGENT_MAX_TURNS=50\n", environment);
        Assert.Contains("RUN_BRANCH=agent/issue-1102-", environment);
    }

    [Fact]
    public async Task ModelOfTheCommand_ReachesTheAgent()
    {
        var environment = await EnvironmentOfRunAsync(1103, "/agent run --model claude-from-comment please");

        Assert.Contains("AGENT_MODEL=claude-from-comment\n", environment);
    }

    [Fact]
    public async Task BadFile_FailsTheRun_WithFileLineAndColumnOnTheIssue_AndNoSandbox()
    {
        Push("main", "model: repo-model\nsetup: [npm ci\n");
        try
        {
            var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, 1104, sender: "maintainer", label: "agent");
            payload["issue"]!["title"] = "Never runs [edit]";
            await service.SendWebhookAsync("issues", payload);

            var done = await service.WaitForStateAsync(1104, "Failed");
            Assert.StartsWith(".github/sandbox-agents.yml:3:1: not valid YAML", done["error"]!.GetValue<string>());
            Assert.Null(done["history"]![0]!["sandboxId"]?.GetValue<string>());
            await service.FinalCommentAsync(1104, ".github/sandbox-agents.yml:3:1: not valid YAML");
        }
        finally
        {
            Push("main", null);
        }
    }
}
