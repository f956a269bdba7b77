using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Durability;

/// <summary>
/// The single-node service on its durable default (SQLite), killed with SIGKILL in the middle of a run and started
/// again with the README's command on the same data folder: the run's reminder brings its grain back, the grain finds
/// its sandbox, and the run reaches its true end exactly once.
/// </summary>
public sealed class RestartTests : IAsyncLifetime
{
    private ProcessWorld _world = null!;

    public async Task InitializeAsync() => _world = await ProcessWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public Task KilledWhileRunning_RestartedOnTheSameData_FinishesTheRunOnce() => KillRestartAndFinishAsync(beforeRestart: () => { });

    /// <summary>
    /// The restart case with GitHub refusing the status comment after the restart more often than the service once
    /// tried (it gave up after 10 failed writes and left the run settled without a final comment): the comment must
    /// still end final.
    /// </summary>
    [Fact]
    public Task KilledWhileRunning_GitHubLimitsTheCommentAfterTheRestart_StillEndsWithTheFinalComment() =>
        KillRestartAndFinishAsync(beforeRestart: () =>
        {
            _world.GitHub.FailNext("POST", "/issues/1/comments", 12, GitHubFaultKind.SecondaryRateLimit, retryAfter: TimeSpan.FromSeconds(1));
            _world.GitHub.FailNext("PATCH", "", 12, GitHubFaultKind.SecondaryRateLimit, retryAfter: TimeSpan.FromSeconds(1));
        });

    private async Task KillRestartAndFinishAsync(Action beforeRestart)
    {
        var settings = _world.Settings();
        await using (var first = new ServiceProcess(settings))
        {
            await first.StartAsync();
            await ServiceHttp.SendLabeledAsync(first.Url, ProcessWorld.Secret, 1, "Survive a crash [slow-edit]");
            await Eventually.MatchesAsync(() => ServiceHttp.TaskAsync(first.Url, 1), t => t?["state"]?.GetValue<string>() == "Running", "running before the crash");
            await first.KillAsync();
        }

        beforeRestart();

        await using var second = new ServiceProcess(settings);
        await second.StartAsync();
        var done = await Eventually.MatchesAsync(() => ServiceHttp.TaskAsync(second.Url, 1),
            t => t?["state"]?.GetValue<string>() is "Succeeded" && t["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(), "the run's true end after the restart");

        await _world.FinalCommentAsync(1, "Done");
        Assert.Single(done!["history"]!.AsArray());
        Assert.Single(_world.GitHub.PullRequestsFor("octo/widgets"));
        Assert.Single(_world.GitHub.CommentsOn("octo/widgets", 1));
        Assert.Contains("Fixed slowly.", _world.Git.Show(done["branch"]!.GetValue<string>(), "README.md"));
        Assert.Empty(Directory.GetDirectories(_world.SandboxRoot));
    }
}
