using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SandboxAgents.Runner;
using SandboxAgents.Sandboxes;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Fakes.Messages;

namespace SandboxAgents.Tests.EndToEnd.ClaudeCli;

/// <summary>
/// A maintainer's <c>/agent &lt;instructions&gt;</c> comment on an issue whose run is under way, through the whole
/// service with the real CLI: the message reaches the agent by resuming its session, so the model is asked again with
/// the first conversation and the message, before any pull request is opened. It arrives either while the agent still
/// works (the runner delivers it) or after the agent's invocation has ended (the grain starts the runner's resume pass).
/// Each test has a repository of its own, so that its pull requests are the only ones there.
/// </summary>
[Collection(ClaudeCliCollection.Name)]
public sealed class ClaudeCliServiceSteeringTests(ClaudeCliServiceFixture service)
{
    private const string Instructions = "Also add a CHANGELOG entry";
    private const string ConfigFile = ".github/sandbox-agents.yml";

    /// <summary>A validate command that holds the first pass until the service has put message 01 in the sandbox (bounded: two minutes).</summary>
    private const string AwaitMessageFile = "for i in $(seq 1200); do test -f ../.agent-run/messages/01 && exit 0; sleep 0.1; done; exit 1";

    [ClaudeCliFact]
    public async Task Comment_WhileTheAgentWorks_TheRunnerResumesItsSession_WithTheMessage_BeforeThePullRequest()
    {
        var repository = Repository("cli-steer-working", null);
        var firstAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resumedAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = service.Messages.Play("[cli-steer-working]", Steered(firstAnswer.Task, resumedAnswer.Task));
        try
        {
            await service.LabelAsync(1301, "Write notes [cli-steer-working]", repository);
            await script.AskedForAsync(0).WaitAsync(Eventually.DefaultBound);

            await SteerAsync(1301, repository);
            var sandbox = await MessageTakenAsync(1301, repository);
            await MessageInSandboxAsync(sandbox);
            firstAnswer.SetResult();

            await script.AskedForAsync(2).WaitAsync(Eventually.DefaultBound);
            Assert.Empty(PullRequestsOpened(repository));
            resumedAnswer.SetResult();
        }
        finally
        {
            firstAnswer.TrySetResult();
            resumedAnswer.TrySetResult();
        }

        var done = await service.EndedAsync(1301, "Succeeded", repository);
        AssertResumedWithTheMessage(script);
        var run = done.Run();
        Assert.DoesNotContain(run["transitions"]!.AsArray(), t => t!["note"]?.GetValue<string>()?.StartsWith("resuming", StringComparison.Ordinal) == true);
        await AssertDeliveredAndPublishedAsync(1301, repository, done);
    }

    [ClaudeCliFact]
    public async Task Comment_AfterTheAgentFinished_TheGrainResumesTheRunner_WithTheMessage_BeforeThePullRequest()
    {
        var repository = Repository("cli-steer-finished", $"validate:\n  - '{AwaitMessageFile}'\n");
        var resumedAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = service.Messages.Play("[cli-steer-finished]", Steered(Task.CompletedTask, resumedAnswer.Task));
        try
        {
            await service.LabelAsync(1302, "Write notes [cli-steer-finished]", repository);
            await Eventually.MatchesAsync(() => service.TaskAsync(repository, 1302),
                t => t?["logTail"]?.ToJsonString().Contains("runner: validate 01", StringComparison.Ordinal) == true,
                "the runner to be validating: the agent's invocation and the delivery of messages are over");
            Assert.Equal(2, script.Requests);

            await SteerAsync(1302, repository);
            await MessageTakenAsync(1302, repository);

            await script.AskedForAsync(2).WaitAsync(Eventually.DefaultBound);
            Assert.Empty(PullRequestsOpened(repository));
            resumedAnswer.SetResult();
        }
        finally
        {
            resumedAnswer.TrySetResult();
        }

        var done = await service.EndedAsync(1302, "Succeeded", repository);
        AssertResumedWithTheMessage(script);
        var run = done.Run();
        Assert.Contains(run["transitions"]!.AsArray(), t => t!["state"]!.GetValue<string>() == "Running"
            && t["note"]?.GetValue<string>() == "resuming the agent's session for 1 message that came after it ended");
        Assert.True(run["verified"]!.GetValue<bool>());
        await AssertDeliveredAndPublishedAsync(1302, repository, done);
    }

    /// <summary>The task's first answer held by <paramref name="first"/>, the answer to the message by <paramref name="resumed"/>.</summary>
    private static ModelScript Steered(Task first, Task resumed) => ModelScript.Of(
        ModelTurn.Write("NOTES.md", "notes\n") with { Gate = first },
        ModelTurn.Say("Wrote NOTES.md."),
        ModelTurn.Write("CHANGELOG.md", "- Added NOTES.md\n") with { Gate = resumed },
        ModelTurn.Say("Added a CHANGELOG entry as well."));

    /// <summary>A maintainer's signed <c>issue_comment</c> <c>created</c> webhook: <c>/agent run</c> with the instructions.</summary>
    private async Task SteerAsync(int number, string repository, string command = $"/agent run {Instructions}")
    {
        var comment = Payloads.For("issue_comment.created", repository, number, sender: "maintainer", comment: command);
        Assert.Equal(HttpStatusCode.OK, (await service.SendWebhookAsync("issue_comment", comment)).StatusCode);
    }

    /// <summary>The run's sandbox, once the run's history shows the message taken.</summary>
    private async Task<string> MessageTakenAsync(int number, string repository)
    {
        var task = await Eventually.MatchesAsync(() => service.TaskAsync(repository, number),
            t => t?["history"] is JsonArray { Count: > 0 } runs && runs[0]!["messages"] is JsonArray { Count: 1 },
            $"the run of {repository}#{number} to take the message");
        var run = task!.Run();
        var message = run["messages"]![0]!;
        Assert.Equal("maintainer", message["from"]!.GetValue<string>());
        Assert.Contains(Instructions, message["text"]!.GetValue<string>());
        return run["sandboxId"]!.GetValue<string>();
    }

    /// <summary>Waits for the service's own sandbox provider to find message 01 in the sandbox.</summary>
    private async Task MessageInSandboxAsync(string sandbox)
    {
        var sandboxes = service.Services.GetRequiredService<ISandboxProvider>();
        await Eventually.MatchesAsync(async () =>
        {
            using var copy = new MemoryStream();
            return await sandboxes.DownloadAsync(sandbox, RunnerFiles.MessageFile(0), copy, 1 << 20, CancellationToken.None);
        }, found => found, "the message in the sandbox");
    }

    /// <summary>The request that answered the message holds the first conversation, then the message from the maintainer.</summary>
    private static void AssertResumedWithTheMessage(ModelScript script)
    {
        Assert.Equal(4, script.Requests);
        var conversations = script.Conversations.ToArray();
        Assert.DoesNotContain(Instructions, conversations[1].ToJsonString());
        var resumed = conversations[2];
        Assert.Contains("Write notes [cli-steer-", Text(resumed[0]!));
        Assert.Contains(resumed, m => m!["role"]!.GetValue<string>() == "assistant" && Text(m).Contains("Wrote NOTES.md.", StringComparison.Ordinal));
        Assert.Equal("user", resumed[^1]!["role"]!.GetValue<string>());
        Assert.Contains(Instructions, Text(resumed[^1]!));
        Assert.Contains("@maintainer", Text(resumed[^1]!));
    }

    private async Task AssertDeliveredAndPublishedAsync(int number, string repository, JsonObject done)
    {
        var branch = done["branch"]!.GetValue<string>();
        Assert.Equal("notes\n", Show(repository, branch, "NOTES.md"));
        Assert.Equal("- Added NOTES.md\n", Show(repository, branch, "CHANGELOG.md"));
        var message = Assert.Single(done.Run()["messages"]!.AsArray())!;
        Assert.NotNull(message["deliveredAt"]?.GetValue<DateTimeOffset>());
        Assert.False(message["late"]!.GetValue<bool>());

        var pull = Assert.Single(service.GitHub.PullRequestsFor(repository));
        Assert.Equal(branch, pull["head"]!["ref"]!.GetValue<string>());
        Assert.Single(PullRequestsOpened(repository));
        var comment = await service.CommentSayingAsync(number, pull["html_url"]!.GetValue<string>(), repository);
        Assert.Contains("Message from @maintainer: delivered to the agent.", comment);
    }

    private IEnumerable<RecordedRequest> PullRequestsOpened(string repository) =>
        service.GitHub.Requests.Where(r => r.Method == "POST" && r.PathAndQuery == $"/api/v3/repos/{repository}/pulls");

    private string Repository(string name, string? config)
    {
        BareRepository.Create(service.GitRoot, "octo", name, config is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ConfigFile] = config });
        return $"octo/{name}";
    }

    private string Show(string repository, string branch, string file) =>
        BareRepository.Git(Path.Combine(service.GitRoot, repository + ".git"), "show", $"{branch}:{file}");

    /// <summary>A message's content as JSON text: a plain string, or its blocks (text, tool use, tool result) whole.</summary>
    private static string Text(JsonNode message) => message["content"]!.ToJsonString();
}
