using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Fakes.Messages;

namespace SandboxAgents.Tests.EndToEnd.ClaudeCli;

/// <summary>
/// The real CLI in runs the repository shapes (<c>.github/sandbox-agents.yml</c>: its limits, model, setup and
/// validate commands), and runs that stop at a limit with work to show. Each test that needs a file has a repository
/// of its own, so that no other run reads it.
/// </summary>
[Collection(ClaudeCliCollection.Name)]
public sealed class ClaudeCliRepositoryRunTests(ClaudeCliServiceFixture service)
{
    private const string ConfigFile = ".github/sandbox-agents.yml";

    [ClaudeCliFact]
    public async Task ConfigMaxTurns_TheModelNeverStops_StopsAtTheRepositorysLimit()
    {
        var repository = Repository("cli-config-turns", "maxTurns: 2\n");
        var script = service.Messages.Play("[cli-config-turns]", ModelScript.Endless());

        await service.LabelAsync(1201, "Keep going [cli-config-turns]", repository);
        var done = await service.EndedAsync(1201, "Failed", repository);

        Assert.Contains("Reached maximum number of turns (2)", done["error"]!.GetValue<string>());
        Assert.Equal(2, script.Requests);
    }

    [ClaudeCliFact]
    public async Task ConfigModel_TheCliAsksForTheRepositorysModel_AndTheRunNamesIt()
    {
        var repository = Repository("cli-config-model", "model: claude-haiku-4-5\n");
        var script = service.Messages.Play("[cli-config-model]", ModelScript.Of(ModelTurn.Write("NOTES.md", "notes\n"), ModelTurn.Say("Wrote NOTES.md.")));

        await service.LabelAsync(1202, "Write notes [cli-config-model]", repository);
        var done = await service.EndedAsync(1202, "Succeeded", repository);

        Assert.All(script.Models, model => Assert.Equal("claude-haiku-4-5", model));
        Assert.Equal("claude-haiku-4-5", done.Run()["model"]!.GetValue<string>());
    }

    [ClaudeCliFact]
    public async Task MaxTurns_WithWorkCommitted_OpensDraftPullRequestMarkedIncomplete_AndTheCommentLinksIt()
    {
        service.Messages.Play("[cli-incomplete]", ModelScript.Endless());

        await service.LabelAsync(1203, "Keep going with commits [cli-incomplete]");
        var done = await service.EndedAsync(1203, "Failed");

        var branch = done["branch"]!.GetValue<string>();
        Assert.StartsWith("turn 0", service.Git.Show(branch, "turns.txt"));
        Assert.False(string.IsNullOrEmpty(done.Run()["incompleteBecause"]?.GetValue<string>()));
        var pull = service.PullRequestOf(branch);
        Assert.True(pull["draft"]!.GetValue<bool>());
        Assert.Contains("incomplete", pull["body"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        await service.CommentSayingAsync(1203, pull["html_url"]!.GetValue<string>());
    }

    [ClaudeCliFact]
    public async Task SetupAndValidate_BothPass_TheAgentSeesTheSetup_TheRunIsVerified()
    {
        var repository = Repository("cli-checks-pass", """
            setup:
              - mkdir -p /tmp/deps && echo ready > /tmp/deps/state && echo "dependencies installed"
            validate:
              - grep -q notes NOTES.md
            """);
        service.Messages.Play("[cli-checks-pass]", ModelScript.Of(
            ModelTurn.Bash("cat /tmp/deps/state > deps.txt", "Use what the setup made"),
            ModelTurn.Write("NOTES.md", "notes\n"),
            ModelTurn.Say("Wrote deps.txt and NOTES.md.")));

        await service.LabelAsync(1204, "Use the dependencies [cli-checks-pass]", repository);
        var done = await service.EndedAsync(1204, "Succeeded", repository);

        Assert.Equal("ready\n", Show(repository, done, "deps.txt"));
        var run = done.Run();
        Assert.True(run["verified"]!.GetValue<bool>());
        var checks = run["checks"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Contains(checks, c => c["phase"]!.GetValue<string>() == "setup" && c["exitCode"]!.GetValue<int>() == 0);
        Assert.Contains(checks, c => c["phase"]!.GetValue<string>() == "validate" && c["command"]!.GetValue<string>() == "grep -q notes NOTES.md" && c["exitCode"]!.GetValue<int>() == 0);
        Assert.Contains("grep -q notes NOTES.md", PullRequestBody(repository, done));
    }

    [ClaudeCliFact]
    public async Task Validate_Fails_TheDraftPullRequestIsMarkedUnverified_WithTheCommandAndItsOutput()
    {
        var repository = Repository("cli-checks-fail", """
            validate:
              - echo "2 tests failed" && exit 1
            """);
        service.Messages.Play("[cli-checks-fail]", ModelScript.Of(ModelTurn.Write("NOTES.md", "notes\n"), ModelTurn.Say("Wrote NOTES.md.")));

        await service.LabelAsync(1205, "Break the tests [cli-checks-fail]", repository);
        var done = await Eventually.MatchesAsync(() => service.TaskAsync(repository, 1205),
            t => t?["history"] is JsonArray { Count: > 0 } runs && runs[0]!["pullRequestUrl"] is not null && runs[0]!["sandboxDeleted"]!.GetValue<bool>(),
            "the unverified pull request");

        Assert.False(done!.Run()["verified"]!.GetValue<bool>());
        var pull = Assert.Single(service.GitHub.PullRequestsFor(repository));
        Assert.True(pull["draft"]!.GetValue<bool>());
        var body = pull["body"]!.GetValue<string>();
        Assert.Contains("unverified", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("exit 1", body); // the failing command (its quotes and '&' may be escaped)
        Assert.Contains("2 tests failed", body);
        var comment = await service.CommentSayingAsync(1205, pull["html_url"]!.GetValue<string>(), repository);
        Assert.Contains("2 tests failed", comment);
    }

    [ClaudeCliFact]
    public async Task Setup_Fails_TheRunFailsWithItsLastLines_AndTheAgentNeverStarts()
    {
        var repository = Repository("cli-setup-fail", """
            setup:
              - echo "registry unreachable" >&2 && exit 3
            """);
        var script = service.Messages.Play("[cli-setup-fail]", ModelScript.Of(ModelTurn.Say("Should not be asked.")));

        await service.LabelAsync(1206, "Install first [cli-setup-fail]", repository);
        var done = await service.EndedAsync(1206, "Failed", repository);

        Assert.Contains("registry unreachable", done["error"]!.GetValue<string>());
        Assert.Equal(0, script.Requests);
        await service.CommentSayingAsync(1206, "registry unreachable", repository);
    }

    [ClaudeCliFact]
    public async Task ConfigThatDoesNotParse_FailsAtOnce_WithFileLineAndColumn_WithoutASandbox()
    {
        var repository = Repository("cli-config-broken", "maxTurns: 2\nsetup: [unclosed\n");
        var script = service.Messages.Play("[cli-config-broken]", ModelScript.Of(ModelTurn.Say("Should not be asked.")));

        await service.LabelAsync(1207, "Anything [cli-config-broken]", repository);
        var done = await Eventually.MatchesAsync(() => service.TaskAsync(repository, 1207), t => t?["state"]?.GetValue<string>() == "Failed", "the broken config to fail the run");

        var error = done!["error"]!.GetValue<string>();
        Assert.Matches(@"\.github/sandbox-agents\.yml\D{1,20}[23]\D{1,20}\d+", error);
        Assert.Null(done.Run()["sandboxId"]?.GetValue<string>());
        Assert.Equal(0, script.Requests);
        await service.CommentSayingAsync(1207, ConfigFile, repository);
    }

    [ClaudeCliFact]
    public async Task ConfigWithAnUnknownKey_FailsAtOnce_NamingTheKeyAndWhereItIs()
    {
        var repository = Repository("cli-config-unknown", "maxTurns: 2\nmaxTurnz: 3\n");

        await service.LabelAsync(1208, "Anything [cli-config-unknown]", repository);
        var done = await Eventually.MatchesAsync(() => service.TaskAsync(repository, 1208), t => t?["state"]?.GetValue<string>() == "Failed", "the unknown key to fail the run");

        var error = done!["error"]!.GetValue<string>();
        Assert.Contains("maxTurnz", error);
        Assert.Matches(@"\.github/sandbox-agents\.yml\D{1,20}2\D{1,20}1", error);
        Assert.Null(done.Run()["sandboxId"]?.GetValue<string>());
    }

    [ClaudeCliFact]
    public async Task Deadline_TheAgentIsAskedToStop_ItsPartialWorkGoesToADraftPullRequestMarkedIncomplete()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = service.Messages.Play("[cli-deadline]", ModelScript.Of(
            ModelTurn.Bash("echo partial > partial.txt", "Make a start"),
            ModelTurn.Say("Never sent before the deadline.") with { Gate = held.Task }));
        try
        {
            await service.LabelAsync(1209, "A long job [cli-deadline]");
            await script.AskedForAsync(1).WaitAsync(Eventually.DefaultBound);

            service.Clock.Advance(ServiceFixture.AgentTimeout);
            var done = await service.EndedAsync(1209, "TimedOut");

            var branch = done["branch"]!.GetValue<string>();
            Assert.Equal("partial\n", service.Git.Show(branch, "partial.txt"));
            Assert.False(string.IsNullOrEmpty(done.Run()["incompleteBecause"]?.GetValue<string>()));
            var pull = service.PullRequestOf(branch);
            Assert.True(pull["draft"]!.GetValue<bool>());
            await service.CommentSayingAsync(1209, pull["html_url"]!.GetValue<string>());
        }
        finally
        {
            held.TrySetResult();
        }
    }

    private string Repository(string name, string config)
    {
        BareRepository.Create(service.GitRoot, "octo", name, new Dictionary<string, string> { [ConfigFile] = config });
        return $"octo/{name}";
    }

    private string Show(string repository, JsonObject done, string file) =>
        BareRepository.Git(Path.Combine(service.GitRoot, repository + ".git"), "show", $"{done["branch"]!.GetValue<string>()}:{file}");

    private string PullRequestBody(string repository, JsonObject done) =>
        Assert.Single(service.GitHub.PullRequestsFor(repository), p => p["head"]!["ref"]!.GetValue<string>() == done["branch"]!.GetValue<string>())["body"]!.GetValue<string>();
}
