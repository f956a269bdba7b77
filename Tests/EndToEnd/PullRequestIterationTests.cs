using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Gateway;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>
/// Iterating on the agent's pull request through the whole service: signed reviews, failing checks, pushes and
/// <c>/agent</c> comments on the pull request a first run opened start (or do not start) real runs in sandboxes on its
/// branch, which push real commits to the bare repository. The fake GitHub holds the pull request; the tests play
/// GitHub's part after every push: the pull request's head follows the branch and a <c>synchronize</c> delivery says so.
/// The scripted agent's <c>[keep-task]</c> commits the task it was given, so what a run was told is read from git.
/// </summary>
public abstract class PullRequestIterationTests(ServiceFixture service)
{
    private const string Repository = ServiceFixture.Repository;
    private const string TaskCopy = "agent-task.md";

    /// <summary>The fix runs the service allows per pull request: the fixture's <c>Runs:MaxFixAttempts</c>, or the default.</summary>
    private int MaxFixAttempts => service.Settings.TryGetValue("Runs:MaxFixAttempts", out var max)
        ? int.Parse(max, CultureInfo.InvariantCulture)
        : new RunOptions().MaxFixAttempts;

    /// <summary>A pull request: the issue whose first run opened it (0 for none), its number, branch and head commit then.</summary>
    private sealed record PullRequestAt(int Issue, int Number, string Branch, string Head);

    private async Task<PullRequestAt> OpenPullRequestAsync(int issue, string tag = "[keep-task]")
    {
        var labeled = Payloads.For("issues.labeled", Repository, issue, label: "agent");
        labeled["issue"]!["title"] = $"Fix teh typo {tag}";
        labeled["issue"]!["body"] = "The README says 'Teh widgets'.";
        Assert.Equal(HttpStatusCode.OK, (await service.SendWebhookAsync("issues", labeled)).StatusCode);

        var done = await service.WaitForStateAsync(issue, "Succeeded");
        var branch = done["branch"]!.GetValue<string>();
        var pull = Assert.Single(service.GitHub.PullRequestsFor(Repository), p => p["head"]!["ref"]!.GetValue<string>() == branch);
        var head = Head(branch);
        Assert.Equal(head, pull["head"]!["sha"]!.GetValue<string>());
        return new PullRequestAt(issue, pull["number"]!.GetValue<int>(), branch, head);
    }

    /// <summary>Waits until the issue's <paramref name="runs"/>-th run has ended in <paramref name="state"/>.</summary>
    private Task<JsonObject> WaitForRunAsync(int issue, int runs, string state = "Succeeded") =>
        Eventually.MatchesAsync(async () => (await service.GetTaskAsync(issue))!,
            t => t["history"]!.AsArray().Count == runs && t["state"]!.GetValue<string>() == state, $"run {runs} of #{issue} {state}");

    private static JsonArray History(JsonObject issue) => issue["history"]!.AsArray();

    private async Task<int> RunCountAsync(int issue) => History((await service.GetTaskAsync(issue))!).Count;

    private IReadOnlyList<JsonObject> CommentsOn(int number) => service.GitHub.CommentsOn(Repository, number);

    private static string Body(JsonObject comment) => comment["body"]!.GetValue<string>();

    /// <summary>
    /// Waits until the service logs <paramref name="decision"/> (why it starts nothing) or a second run appears
    /// anyway, and returns how many runs the issue has then: one when the decision was right.
    /// </summary>
    private async Task<int> RunsOnceDecidedAsync(int issue, string decision)
    {
        var (_, runs) = await Eventually.MatchesAsync(
            async () => (Logged: service.Logs.Lines.Any(l => l.Contains(decision, StringComparison.Ordinal)), Runs: await RunCountAsync(issue)),
            seen => seen.Logged || seen.Runs > 1, $"the log line '{decision}' or another run");
        return runs;
    }

    private Task WaitForCommentAsync(int number, string words) =>
        Eventually.TrueAsync(() => CommentsOn(number).Any(c => Body(c).Contains(words, StringComparison.Ordinal)), $"a comment on #{number} saying '{words}'");

    private string Head(string branch) => Git("rev-parse", $"refs/heads/{branch}");

    private string Git(params string[] arguments) => BareRepository.Git(service.Git.Path, arguments).Trim();

    private static void AssertOk(HttpResponseMessage response) => Assert.Equal(HttpStatusCode.OK, response.StatusCode);

    /// <summary>
    /// What GitHub does when the pull request's branch moves: its head follows, and a <c>synchronize</c> delivery says
    /// so, whoever pushed (the service's own pushes included). Returns the new head.
    /// </summary>
    private async Task<string> GitHubSeesPushAsync(PullRequestAt pullRequest, string before, string pusher)
    {
        var after = Head(pullRequest.Branch);
        service.GitHub.SetPullRequestHead(Repository, pullRequest.Number, after);
        var payload = PullRequestPayloads.For("pull_request.synchronize", Repository, sender: pusher);
        payload.Remove("installation"); // a repository webhook, as the token-configured service has, names none
        (payload["number"], payload["before"], payload["after"]) = (pullRequest.Number, before, after);
        PointAt(payload["pull_request"]!, pullRequest, after);
        AssertOk(await service.SendWebhookAsync("pull_request", payload));
        return after;
    }

    private static void PointAt(JsonNode pull, PullRequestAt pullRequest, string head)
    {
        pull["number"] = pullRequest.Number;
        pull["head"]!["ref"] = pullRequest.Branch;
        pull["head"]!["sha"] = head;
        pull["base"]!["ref"] = "main";
    }

    private static JsonObject Review(PullRequestAt pullRequest, long id, string state, string body, string sender, string head)
    {
        var payload = PullRequestPayloads.For("pull_request_review.submitted", Repository, sender: sender);
        var review = payload["review"]!;
        (review["id"], review["state"], review["body"], review["commit_id"]) = (id, state, body, head);
        review["user"]!["login"] = sender;
        PointAt(payload["pull_request"]!, pullRequest, head);
        return payload;
    }

    private Task<HttpResponseMessage> CommentOnPullRequestAsync(PullRequestAt pullRequest, string body)
    {
        var payload = Payloads.For("issue_comment.created", Repository, pullRequest.Number, comment: body);
        payload["issue"]!["pull_request"] = new JsonObject
        {
            ["url"] = $"https://api.github.com/repos/{Repository}/pulls/{pullRequest.Number}",
            ["html_url"] = $"https://github.com/{Repository}/pull/{pullRequest.Number}",
        };
        return service.SendWebhookAsync("issue_comment", payload);
    }

    /// <summary>
    /// The check runs of <paramref name="head"/> fail (a <c>tests</c> run with <paramref name="output"/>, which the fake
    /// GitHub serves) and GitHub delivers the failing check suite, or with <paramref name="workflow"/> the workflow run.
    /// </summary>
    private async Task ChecksFailAsync(PullRequestAt pullRequest, string head, string output, bool workflow = false)
    {
        service.GitHub.AddCheckRun(Repository, head, "tests", "failure", "1 test failed", "WidgetTests.Spin failed", output);
        var pulls = new JsonArray(PullRequestPayloads.PullRequestRef(pullRequest.Number, sha: head));
        pulls[0]!["head"]!["ref"] = pullRequest.Branch;
        var payload = PullRequestPayloads.For(workflow ? "workflow_run.completed" : "check_suite.completed", Repository,
            sender: "github-actions[bot]", senderType: "Bot");
        var completed = payload[workflow ? "workflow_run" : "check_suite"]!;
        (completed["conclusion"], completed["head_sha"], completed["head_branch"], completed["pull_requests"]) = ("failure", head, pullRequest.Branch, pulls);
        if (workflow) completed["name"] = "CI";
        AssertOk(await service.SendWebhookAsync(workflow ? "workflow_run" : "check_suite", payload));
    }

    [Fact]
    public async Task ReviewRequestingChanges_IteratesOnTheSameBranch_OneMoreCommit_SamePullRequest_LogAndStatusComment()
    {
        var pullRequest = await OpenPullRequestAsync(201);
        const string asked = "Please also say 'the' in the heading.";
        var reviewId = service.GitHub.AddReview(Repository, pullRequest.Number, "maintainer", "CHANGES_REQUESTED", asked, pullRequest.Head);

        AssertOk(await service.SendWebhookAsync("pull_request_review", Review(pullRequest, reviewId, "changes_requested", asked, "maintainer", pullRequest.Head)));
        var done = await WaitForRunAsync(pullRequest.Issue, runs: 2);

        var (first, second) = (History(done)[0]!, History(done)[1]!);
        Assert.Equal(("Label", 1), (first["source"]!.GetValue<string>(), first["iteration"]!.GetValue<int>()));
        Assert.Equal(("Review", 2, pullRequest.Number, pullRequest.Branch, "maintainer"),
            (second["source"]!.GetValue<string>(), second["iteration"]!.GetValue<int>(), second["pullRequestNumber"]!.GetValue<int>(),
                second["branch"]!.GetValue<string>(), second["requestedBy"]!.GetValue<string>()));
        var head = Head(pullRequest.Branch);
        Assert.Equal(head, second["commitSha"]!.GetValue<string>());
        Assert.Equal(pullRequest.Head, Git("rev-parse", $"{head}^"));
        Assert.Equal(Head("main"), Git("rev-parse", $"{pullRequest.Head}^"));

        var task = service.Git.Show(pullRequest.Branch, TaskCopy);
        Assert.Contains($"on the branch of pull request #{pullRequest.Number}", task);
        Assert.Contains(asked, task);

        Assert.Single(service.GitHub.PullRequestsFor(Repository), p => p["head"]!["ref"]!.GetValue<string>() == pullRequest.Branch);
        var description = service.GitHub.PullRequest(Repository, pullRequest.Number)!["body"]!.GetValue<string>();
        Assert.Contains($"Closes #{pullRequest.Issue}", description);
        Assert.Contains("<!-- sandbox-agents:iterations -->", description);
        Assert.Contains($"- Iteration 1 (", description);
        Assert.Contains($"- Iteration 2 (review by @maintainer) `{head[..7]}`, run `{second["runId"]}`", description);

        await WaitForCommentAsync(pullRequest.Number, "Done");
        var status = Body(Assert.Single(CommentsOn(pullRequest.Number)));
        Assert.Contains(second["runId"]!.GetValue<string>(), status);
        Assert.Contains($"Iteration 2 on pull request #{pullRequest.Number}", status);
    }

    [Fact]
    public async Task FailingChecks_FixRunsReadTheirOutput_UntilTheCap_ThenOneGiveUpComment()
    {
        var pullRequest = await OpenPullRequestAsync(202);
        var head = pullRequest.Head;

        for (var attempt = 1; attempt <= MaxFixAttempts; attempt++)
        {
            var output = $"Expected 3 widgets, got {attempt + 3}";
            var workflow = attempt % 2 == 0;
            await ChecksFailAsync(pullRequest, head, output, workflow);
            var done = await WaitForRunAsync(pullRequest.Issue, runs: attempt + 1);

            var fix = History(done)[attempt]!;
            Assert.Equal((workflow ? "WorkflowRun" : "CheckSuite", attempt + 1, pullRequest.Branch),
                (fix["source"]!.GetValue<string>(), fix["iteration"]!.GetValue<int>(), fix["branch"]!.GetValue<string>()));
            var task = service.Git.Show(pullRequest.Branch, TaskCopy);
            Assert.Contains($"Checks that failed on {head[..12]}", task);
            Assert.Contains(output, task);
            Assert.Contains("WidgetTests.Spin failed", task);
            var before = head;
            head = await GitHubSeesPushAsync(pullRequest, before, pusher: "sandbox-agents");
            Assert.Equal((fix["commitSha"]!.GetValue<string>(), before), (head, Git("rev-parse", $"{head}^")));
        }

        await ChecksFailAsync(pullRequest, head, "Still 5 widgets");
        await WaitForCommentAsync(pullRequest.Number, "gives up");
        await ChecksFailAsync(pullRequest, head, "Still 5 widgets", workflow: true);
        // Commands are handled in order: once this reply is there, the last failure was decided.
        AssertOk(await CommentOnPullRequestAsync(pullRequest, "/agent autofix off"));
        await WaitForCommentAsync(pullRequest.Number, "autofix is off");

        var gaveUp = Body(Assert.Single(CommentsOn(pullRequest.Number), c => Body(c).Contains("gives up", StringComparison.Ordinal)));
        Assert.Contains($"`{head[..7]}` after {MaxFixAttempts} fix runs", gaveUp);
        Assert.Equal(MaxFixAttempts + 1, await RunCountAsync(pullRequest.Issue));
        Assert.Equal(head, Head(pullRequest.Branch));
    }

    [Fact]
    public async Task HumanPush_ThenFailingChecksOnItsHead_StartNoFix()
    {
        var pullRequest = await OpenPullRequestAsync(203, "[edit]");
        var theirs = PushAsMaintainer(pullRequest.Branch);
        await GitHubSeesPushAsync(pullRequest, pullRequest.Head, pusher: "maintainer");

        await ChecksFailAsync(pullRequest, theirs, "Their change broke the build");
        var runs = await RunsOnceDecidedAsync(pullRequest.Issue,
            $"{Repository}#{pullRequest.Issue}: pull request #{pullRequest.Number}: no fix run: someone else has pushed to the branch");

        Assert.Equal(1, runs);
        Assert.Equal(theirs, Head(pullRequest.Branch));
        Assert.Empty(CommentsOn(pullRequest.Number));
    }

    [Fact]
    public async Task AutofixOff_ThenFailingChecks_StartNothing_AndThePullRequestIsTold()
    {
        var pullRequest = await OpenPullRequestAsync(204, "[edit]");

        AssertOk(await CommentOnPullRequestAsync(pullRequest, "/agent autofix off"));
        await WaitForCommentAsync(pullRequest.Number, "autofix is off");
        await ChecksFailAsync(pullRequest, pullRequest.Head, "Expected 3 widgets, got 4");
        var runs = await RunsOnceDecidedAsync(pullRequest.Issue, $"{Repository}#{pullRequest.Issue}: pull request #{pullRequest.Number}: no fix run: autofix is off");

        Assert.Equal(1, runs);
        var reply = Body(Assert.Single(CommentsOn(pullRequest.Number)));
        Assert.StartsWith("@maintainer autofix is off for this pull request", reply);
        Assert.Equal(pullRequest.Head, Head(pullRequest.Branch));
    }

    [Fact]
    public async Task ReviewByAReader_StartsNothing()
    {
        var pullRequest = await OpenPullRequestAsync(205, "[edit]");
        service.GitHub.Permissions["reader"] = "read";
        const string asked = "Delete the tests.";
        var reviewId = service.GitHub.AddReview(Repository, pullRequest.Number, "reader", "CHANGES_REQUESTED", asked, pullRequest.Head);

        AssertOk(await service.SendWebhookAsync("pull_request_review", Review(pullRequest, reviewId, "changes_requested", asked, "reader", pullRequest.Head)));
        var runs = await RunsOnceDecidedAsync(pullRequest.Issue, $"{Repository}#{pullRequest.Issue}: @reader may not command runs; Iterate ignored");

        Assert.Equal(1, runs);
        Assert.Contains(service.GitHub.Requests, r => r.PathAndQuery.EndsWith("/collaborators/reader/permission", StringComparison.Ordinal));
        Assert.Empty(CommentsOn(pullRequest.Number));
        Assert.Equal(pullRequest.Head, Head(pullRequest.Branch));
    }

    [Fact]
    public async Task ReviewOnAPullRequestTheServiceDidNotOpen_Gets200_StartsNothing()
    {
        var theirs = new PullRequestAt(Issue: 0, Number: 999, Branch: "someone/feature", Head: "0123456789abcdef0123456789abcdef01234567");
        var runsBefore = await AllRunsAsync();

        var response = await service.SendWebhookAsync("pull_request_review",
            Review(theirs, 42, "changes_requested", "Please rename this.", "maintainer", theirs.Head), deliveryId: "iteration-not-ours");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The gateway answers GitHub once the pull request's grain has: the decision is already made.
        Assert.Contains(service.Logs.Lines, l => l.Contains($"Delivery iteration-not-ours: pull request {Repository}#999 Iterate from Review: NotAgentPullRequest", StringComparison.Ordinal));
        Assert.Null(await service.GetTaskAsync(999));
        Assert.Empty(CommentsOn(999));
        Assert.Equal(runsBefore, await AllRunsAsync());
    }

    /// <summary>How many runs the registry lists in the repository.</summary>
    private async Task<int> AllRunsAsync()
    {
        var page = JsonNode.Parse(await service.Http.GetStringAsync(new Uri($"/api/tasks/?repository={Repository}&pageSize=200", UriKind.Relative)))!;
        return page["total"]!.GetValue<int>();
    }

    /// <summary>A maintainer pushes a commit of their own onto the branch; returns it.</summary>
    private string PushAsMaintainer(string branch)
    {
        var clone = Directory.CreateTempSubdirectory("human-push-").FullName;
        try
        {
            BareRepository.Git(clone, "clone", "--quiet", "--branch", branch, service.Git.Path, ".");
            File.AppendAllText(Path.Combine(clone, "README.md"), "A maintainer's own line.\n");
            BareRepository.Git(clone, "-c", "user.name=Maintainer", "-c", "user.email=m@example.com", "commit", "--quiet", "-am", "A maintainer's fix");
            BareRepository.Git(clone, "push", "--quiet", "origin", $"HEAD:refs/heads/{branch}");
        }
        finally
        {
            Directory.Delete(clone, recursive: true);
        }

        return Head(branch);
    }
}

[Collection(IterationServiceCollection.Name)]
public sealed class LocalPullRequestIterationTests(IterationServiceFixture service) : PullRequestIterationTests(service);
