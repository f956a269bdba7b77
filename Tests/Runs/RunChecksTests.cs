using Microsoft.Extensions.Configuration;
using SandboxAgents.Runner;
using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

public sealed class RunChecksTests
{
    private const string RegistryToken = "npm-registry-token-value";

    private static readonly SecretRedactor Redactor = new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Agent:SetupEnvironment:NPM_TOKEN"] = RegistryToken }).Build(), []);

    /// <summary>Settings that configure no validate command: only what the runner reports is kept.</summary>
    private static readonly RunSettings Settings = new("agent", TimeSpan.FromHours(1), DraftPullRequest: true, MaxStepFailures: 5, LogTailLines: 20);

    private static RunnerResult Result(CommandReport? setup, params CommandReport[] validation) =>
        new(RunnerOutcomes.Committed, "agent/issue-1-abc", "main", "abc", 1, 0, null, null, setup, validation.Length == 0 ? null : validation);

    [Fact]
    public void From_SetupThenEachValidateCommand_InOrder()
    {
        var checks = RunChecks.From(Result(new("npm ci", 0, 61_000, "added 12 packages"), new("npm test", 1, 2_500, "1 failing"), new("npm run lint", 0, 900, null)), Settings, Redactor);

        Assert.Equal(
            [new CheckSummary(CheckPhases.Setup, "npm ci", 0, TimeSpan.FromSeconds(61), "added 12 packages"),
             new CheckSummary(CheckPhases.Validate, "npm test", 1, TimeSpan.FromMilliseconds(2_500), "1 failing"),
             new CheckSummary(CheckPhases.Validate, "npm run lint", 0, TimeSpan.FromMilliseconds(900), null)],
            checks);
    }

    [Fact]
    public void From_NoReports_NoChecks() => Assert.Empty(RunChecks.From(Result(null), Settings, Redactor));

    [Fact]
    public void From_TheSetupsSecretInItsOutput_IsRedacted()
    {
        var check = Assert.Single(RunChecks.From(Result(new($"echo {RegistryToken}", 1, 10, $"//registry/:_authToken={RegistryToken}\nghp_abcdefghijklmnopqrstuvwxyz0123")), Settings, Redactor));

        Assert.DoesNotContain(RegistryToken, check.Command + check.Tail);
        Assert.Equal("//registry/:_authToken=[redacted]\n[redacted]", check.Tail);
    }

    [Fact]
    public void From_LongOutput_KeepsItsEnd_ManyCommands_KeepsTheFirst()
    {
        var tail = new string('x', RunChecks.MaxTailLength) + "the last line";
        var many = Enumerable.Range(1, RunChecks.MaxValidateCommands + 5).Select(i => new CommandReport($"check {i}", 0, 1, tail)).ToArray();

        var checks = RunChecks.From(Result(null, many), Settings, Redactor);

        Assert.Equal(RunChecks.MaxValidateCommands, checks.Count);
        Assert.Equal("check 1", checks[0].Command);
        Assert.EndsWith("the last line", checks[0].Tail);
        Assert.StartsWith("…", checks[0].Tail);
        Assert.Equal(RunChecks.MaxTailLength + 1, checks[0].Tail!.Length);
    }

    [Fact]
    public void From_NegativeDuration_IsZero() =>
        Assert.Equal(TimeSpan.Zero, Assert.Single(RunChecks.From(Result(new("x", 0, -5, null)), Settings, Redactor)).Duration);

    [Fact]
    public void From_ConfiguredValidateCommandsNotReported_AreChecksThatDidNotRun_SoTheRunIsUnverified()
    {
        var settings = Settings with { Validate = ["npm test", "npm run lint"] };

        var checks = RunChecks.From(Result(null, new CommandReport("npm test", 0, 900, null)), settings, Redactor);

        Assert.Equal(
            [new CheckSummary(CheckPhases.Validate, "npm test", 0, TimeSpan.FromMilliseconds(900), null),
             new CheckSummary(CheckPhases.Validate, "npm run lint", CheckSummary.NotRun, TimeSpan.Zero, RunChecks.NotRunTail)],
            checks);
        Assert.False(CheckSummary.Verified(checks));
        Assert.False(CheckSummary.Verified(RunChecks.From(Result(null), settings, Redactor)));
    }
}
