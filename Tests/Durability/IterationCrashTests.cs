using SandboxAgents.Tests.EndToEnd;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Fakes.Daytona;
using SandboxAgents.Tests.Gateway;

namespace SandboxAgents.Tests.Durability;

/// <summary>
/// Kills the service (SIGKILL) in the middle of an iteration on the agent's pull request (its commit pushed, the
/// description not yet updated: the other steps are the first run's, covered by <see cref="CrashPointTests"/>), then
/// starts it again on the same data: the iteration completes once, with one more commit on the same branch, still one pull request, and one
/// status comment on it.
/// </summary>
public sealed class IterationCrashTests : IAsyncLifetime
{
    private const string Repository = "octo/widgets";
    private ProcessWorld _world = null!;
    private FakeDaytonaServer _daytona = null!;

    public async Task InitializeAsync()
    {
        _world = await ProcessWorld.CreateAsync();
        _daytona = await FakeDaytonaServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _daytona.DisposeAsync();
        await _world.DisposeAsync();
    }

    public static TheoryData<string> Points => ["as the description is updated"];

    private static bool IsPoint(string point, string method, string path, int pullRequest) => point switch
    {
        "as the description is updated" => method == "PATCH" && path.EndsWith($"/pulls/{pullRequest}", StringComparison.Ordinal),
        _ => false,
    };

    [Theory]
    [MemberData(nameof(Points))]
    public async Task ServiceKilledDuringAnIteration_RestartedOnTheSameData_IterationEndsOnce(string point)
    {
        var settings = CrashPointTests.DaytonaSettings(_world, _daytona);
        var first = new ServiceProcess(settings);
        var killed = 0;
        var armed = false;
        var pullRequest = 0;
        async Task KillAtAsync(string method, string path)
        {
            if (Volatile.Read(ref armed) && IsPoint(point, method, path, pullRequest) && Interlocked.Exchange(ref killed, 1) == 0) await first.KillAsync();
        }

        _daytona.BeforeHandling = r => KillAtAsync(r.Method, r.PathAndQuery);
        _world.GitHub.BeforeHandling = r => KillAtAsync(r.Method, r.PathAndQuery);
        string branch;
        try
        {
            await first.StartAsync();
            await ServiceHttp.SendLabeledAsync(first.Url, ProcessWorld.Secret, 1, "Iterate on me [edit]");
            var opened = await Eventually.MatchesAsync(() => ServiceHttp.TaskAsync(first.Url, 1),
                t => t?["state"]?.GetValue<string>() == "Succeeded" && t["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(), "the first run's end");
            branch = opened!["branch"]!.GetValue<string>();
            pullRequest = Assert.Single(_world.GitHub.PullRequestsFor(Repository))["number"]!.GetValue<int>();

            var review = _world.GitHub.AddReview(Repository, pullRequest, "maintainer", "CHANGES_REQUESTED", "Fix it once more, please.", commitId: null);
            Volatile.Write(ref armed, true);
            await ServiceHttp.SendAsync(first.Url, ProcessWorld.Secret, "pull_request_review",
                PullRequestPayloads.Review(Repository, pullRequest, branch, review, "Fix it once more, please."));
            await Eventually.TrueAsync(() => Volatile.Read(ref killed) == 1, $"the service killed {point}");
        }
        finally
        {
            await first.DisposeAsync();
            _daytona.BeforeHandling = null;
            _world.GitHub.BeforeHandling = null;
        }

        await using var second = new ServiceProcess(settings);
        await second.StartAsync();
        var done = await Eventually.MatchesAsync(() => ServiceHttp.TaskAsync(second.Url, 1),
            t => t?["history"]?.AsArray().Count == 2 && t["state"]?.GetValue<string>() == "Succeeded" && t["history"]![1]!["sandboxDeleted"]!.GetValue<bool>(),
            $"the iteration's true end after a crash {point}", TimeSpan.FromSeconds(90));

        var iteration = done!["history"]![1]!;
        Assert.Equal((2, "Review", branch), (iteration["iteration"]!.GetValue<int>(), iteration["source"]!.GetValue<string>(), iteration["branch"]!.GetValue<string>()));
        var pull = Assert.Single(_world.GitHub.PullRequestsFor(Repository));
        Assert.Contains("Iteration 2 (review by @maintainer)", pull["body"]!.GetValue<string>());
        var log = BareRepository.Git(_world.Git.Path, "log", "--format=%s", $"main..{branch}");
        Assert.Equal(2, log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(2, _world.Git.Show(branch, "README.md").Split("Fixed by the agent.").Length - 1);
        Assert.Single(_world.GitHub.CommentsOn(Repository, pullRequest), c => c["body"]!.GetValue<string>().Contains(iteration["runId"]!.GetValue<string>(), StringComparison.Ordinal));
        await Eventually.TrueAsync(() => _daytona.LiveSandboxes.Count == 0, "no sandbox left");
    }
}
