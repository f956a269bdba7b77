using Microsoft.Extensions.Options;
using SandboxAgents.Runs;
using SandboxAgents.Runs.RepositoryConfig;

namespace SandboxAgents.Tests.Runs.RepositoryConfig;

public sealed class RunSettingsMergeTests
{
    private const string Source = ".github/sandbox-agents.yml at abc1234";
    private static readonly IssueKey Issue = IssueKey.Parse("octo/widgets#5");

    private static RunSettingsResolver Resolver(Action<AgentOptions>? configure = null)
    {
        var agent = new AgentOptions { Model = "service-model", MaxTurns = 40, MaxBudgetUsd = 5m, Timeout = TimeSpan.FromHours(1), MaxTimeout = TimeSpan.FromHours(2) };
        configure?.Invoke(agent);
        return new RunSettingsResolver(Options.Create(agent), Options.Create(new RunOptions { DraftPullRequests = true }));
    }

    [Fact]
    public void Resolve_TakesTheServiceDefaults_AndTheCommandsModel()
    {
        var resolver = Resolver();

        var settings = resolver.Resolve(Issue);

        Assert.Equal(("service-model", 40, 5m, TimeSpan.FromHours(1), AgentOptions.DefaultWrapUpGrace, (string?)null),
            (settings.Model, settings.MaxTurns, settings.MaxBudgetUsd, settings.Timeout, settings.WrapUpGrace, settings.ConfigSource));
        Assert.Equal("asked-model", resolver.Resolve(Issue, "asked-model").Model);
    }

    [Fact]
    public void Merge_WithinTheCeilings_TakesEveryValueOfTheFile()
    {
        var resolver = Resolver();
        var file = new RepositorySettings
        {
            Setup = ["npm ci"], Validate = ["npm test", "npm run lint"], Model = "repo-model", MaxTurns = 12, MaxBudgetUsd = 1.5m,
            Timeout = TimeSpan.FromMinutes(90), Draft = false, Instructions = "Keep it short.",
        };

        var merged = resolver.Merge(resolver.Resolve(Issue), file, Source, requestedModel: null);

        var s = merged.Settings;
        Assert.Equal(["npm ci"], s.SetupCommands);
        Assert.Equal(["npm test", "npm run lint"], s.ValidateCommands);
        Assert.Equal(("repo-model", 12, 1.5m, TimeSpan.FromMinutes(90), false, "Keep it short.", Source),
            (s.Model, s.MaxTurns, s.MaxBudgetUsd, s.Timeout, s.DraftPullRequest, s.RepositoryInstructions, s.ConfigSource));
        Assert.Empty(merged.Lowered);
        Assert.Equal(AgentOptions.DefaultCommand, s.AgentCommand);
    }

    [Fact]
    public void Merge_AboveTheCeilings_LowersEachAndSaysSo()
    {
        var resolver = Resolver();
        var file = new RepositorySettings { MaxTurns = 500, MaxBudgetUsd = 50m, Timeout = TimeSpan.FromHours(10) };

        var merged = resolver.Merge(resolver.Resolve(Issue), file, Source, null);

        Assert.Equal((40, 5m, TimeSpan.FromHours(2)), (merged.Settings.MaxTurns, merged.Settings.MaxBudgetUsd, merged.Settings.Timeout));
        Assert.Equal(
            ["timeout 10:00:00 lowered to 02:00:00 (Agent:MaxTimeout)", "maxTurns 500 lowered to 40 (Agent:MaxTurns)", "maxBudgetUsd $50 lowered to $5 (Agent:MaxBudgetUsd)"],
            merged.Lowered);
    }

    [Fact]
    public void Merge_NoBudgetCeiling_TakesTheFilesBudget()
    {
        var resolver = Resolver(a => a.MaxBudgetUsd = null);

        var merged = resolver.Merge(resolver.Resolve(Issue), new RepositorySettings { MaxBudgetUsd = 80m }, Source, null);

        Assert.Equal(80m, merged.Settings.MaxBudgetUsd);
        Assert.Empty(merged.Lowered);
    }

    [Fact]
    public void Merge_EmptyFile_KeepsTheServiceSettings_AndNamesTheSource()
    {
        var resolver = Resolver();
        var resolved = resolver.Resolve(Issue);

        var merged = resolver.Merge(resolved, new RepositorySettings(), Source, null);

        Assert.Equal(resolved with { ConfigSource = Source }, merged.Settings);
    }

    [Theory]
    [InlineData("command-model", "repo-model", "command-model")]
    [InlineData(null, "repo-model", "repo-model")]
    [InlineData(null, null, "service-model")]
    public void Merge_Model_CommandThenFileThenService(string? requested, string? inFile, string expected)
    {
        var resolver = Resolver();

        var merged = resolver.Merge(resolver.Resolve(Issue, requested), new RepositorySettings { Model = inFile }, Source, requested);

        Assert.Equal(expected, merged.Settings.Model);
    }
}
