using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Reminders;
using Orleans.TestingHost;
using SandboxAgents.GitHub;
using SandboxAgents.Hosting;
using SandboxAgents.Runs;
using SandboxAgents.Sandboxes;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Grains;

/// <summary>
/// One in-process silo for the grain tests, with a fake sandbox provider, a fake GitHub and a fake clock that
/// drives grain timers and reminders. Each test uses its own issue key.
/// </summary>
public class GrainClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMinutes(1);

    /// <summary>Between two watchdog beats, so that the poll timer's tick alone reaches it (<see cref="ReachFallbackPollAsync"/>).</summary>
    public static readonly TimeSpan FallbackPollInterval = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan AgentTimeout = TimeSpan.FromMinutes(30);
    public const int RegistryCapacity = 50;

    private int _issueNumber;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(IssueKey, string), IssueKey> _pullRequestOfBranch = new();

    /// <summary><c>Runs:MaxConcurrent</c> of this cluster; 0 is no limit.</summary>
    protected virtual int MaxConcurrent => 0;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    public FakeSandboxProvider Sandboxes { get; } = new();
    public FakeGitHubIssues GitHub { get; } = new();
    public FakeGitHubPullRequests PullRequests { get; } = new();
    public FakeGitHubUsers Users { get; } = new();
    public FakeRepositoryMirror Mirror { get; } = new();
    public TickSignals Ticks { get; } = new();
    public FakeTranscriptStore Transcripts { get; } = new();
    public RecordingGrainStorage Storage { get; } = new();
    public WatchdogSignals Watchdogs { get; } = new();
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public IssueKey NextIssue() => new("octo", "widgets", Interlocked.Increment(ref _issueNumber));

    public async Task InitializeAsync()
    {
        // A pull request the service opens is there to read, at the head the mirror pushed, as on GitHub.
        GitHub.PullRequestCreated = (issue, spec, created) =>
        {
            var pullRequest = new IssueKey(issue.Owner, issue.Repository, created.Number);
            _pullRequestOfBranch[(issue, spec.Head)] = pullRequest;
            PullRequests.OpenPullRequest(pullRequest, spec.Head, Mirror.BranchHeads.GetValueOrDefault((issue, spec.Head), ""), spec.Body);
        };
        Mirror.BranchPushed = (issue, branch, commit) =>
        {
            if (_pullRequestOfBranch.TryGetValue((issue, branch), out var pullRequest)) PullRequests.PullRequest(pullRequest).Push(commit);
        };
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<Orleans.Storage.IGrainStorage>(StorageNames.Runs,
                (services, _) => Storage.Bind(services.GetRequiredService<Orleans.Storage.IGrainStorageSerializer>()));
            silo.UseInMemoryReminderService();
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = WatchdogPeriod);
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, Clock);
            silo.Services.AddSingleton<ISandboxProvider>(Sandboxes);
            silo.Services.AddSingleton<IGitHubIssues>(GitHub);
            silo.Services.AddSingleton<IGitHubPullRequests>(PullRequests);
            silo.Services.AddSingleton<IGitHubUsers>(Users);
            silo.Services.AddSingleton<SandboxAgents.Git.IRepositoryMirror>(Mirror);
            silo.Services.AddSingleton<ITranscriptStore>(Transcripts);
            silo.Services.AddSandboxRuns();
            silo.Services.AddSingleton<IRunTickObserver>(Ticks);
            silo.Services.Configure<RunOptions>(o =>
            {
                o.PollInterval = PollInterval;
                o.FallbackPollInterval = FallbackPollInterval;
                o.WatchdogPeriod = WatchdogPeriod;
                o.InstanceId = "grain-tests";
                o.MaxConcurrent = MaxConcurrent;
            });
            silo.Services.Configure<AgentOptions>(o => o.Timeout = AgentTimeout);
            // Credentials are required at start; the fakes above never use them.
            silo.Services.Configure<GitHubOptions>(o => o.Token = "ghp_GrainTestsNeverSendThis0123456789ab");
            silo.Services.Configure<SandboxAgents.Registry.RegistryOptions>(o => o.Capacity = RegistryCapacity);
            // Reaper tests sweep on demand; a sweep in the middle of another test would take its fault budget.
            silo.Services.Configure<SandboxAgents.Reaper.ReaperOptions>(o => o.Period = TimeSpan.FromDays(30));
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Watchdogs.Listen(Cluster.Silos.Single().SiloAddress);
    }

    /// <summary>Moves the clock one poll interval and awaits the tick of the issue's grain that it caused.</summary>
    public Task PollAsync(IssueKey issue) => AdvanceAsync(issue, PollInterval);

    /// <summary>
    /// Moves the clock and awaits the <paramref name="ticks"/> ticks of the issue's grain that it causes: one for its
    /// poll timer (a one-shot timer fires once however far the clock jumps), and one more when the jump passes the
    /// watchdog's beat, which comes after the timer's tick. A timer due at the very instant of the beat may lose its
    /// tick to the watchdog's, which re-arms it; tests keep the two apart.
    /// </summary>
    public async Task AdvanceAsync(IssueKey issue, TimeSpan by, int ticks = 1)
    {
        await Watchdogs.ArmedAsync(Grains.GetGrain<ISandboxGrain>(issue.ToString()).GetGrainId());
        var ticked = Ticks.NextAsync(issue, ticks);
        Clock.Advance(by);
        await ticked;
    }

    /// <summary>
    /// Ends the runner (<see cref="FakeSandbox.FinishRunner"/>) and awaits the tick its follow's end wakes, with the
    /// clock standing still.
    /// </summary>
    public async Task FinishRunnerAsync(IssueKey issue, FakeSandbox sandbox, string? resultJson, int exitCode = 0)
    {
        var ticked = Ticks.NextAsync(issue);
        sandbox.FinishRunner(resultJson, exitCode);
        await ticked;
    }

    /// <summary>
    /// From the tick that started a run (its first status read), moves the clock to the tick that reads its status
    /// again at the fallback pace: past the watchdog's first beat (two ticks), then the poll timer's tick alone.
    /// </summary>
    public async Task ReachFallbackPollAsync(IssueKey issue)
    {
        await AdvanceAsync(issue, FallbackPollInterval - PollInterval, ticks: 2);
        await PollAsync(issue);
    }

    /// <summary>Submits a command and awaits the tick that acts on it.</summary>
    public async Task<SubmitOutcome> SubmitAndTickAsync(IssueKey issue, IssueCommand command)
    {
        var tick = Ticks.NextAsync(issue);
        var answer = await Grains.GetGrain<ISandboxGrain>(issue.ToString()).SubmitAsync(command);
        if (answer.Outcome == SubmitOutcome.Accepted) await tick;
        return answer.Outcome;
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Watchdogs.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class GrainClusterCollection : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grain cluster";
}
