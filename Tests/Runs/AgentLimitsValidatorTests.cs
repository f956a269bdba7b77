using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

public sealed class AgentLimitsValidatorTests
{
    private static List<string> Failures(Action<AgentOptions> configure)
    {
        var options = new AgentOptions();
        configure(options);
        return new AgentLimitsValidator().Validate(null, options).Failures?.ToList() ?? [];
    }

    [Fact]
    public void Defaults_AreValid() => Assert.Empty(Failures(_ => { }));

    [Theory]
    [InlineData("Agent:MaxTurns must be above 0")]
    [InlineData("Agent:MaxTimeout (01:00:00) must be at least Agent:Timeout (03:00:00)")]
    [InlineData("Agent:MaxBudgetUsd must be above 0")]
    [InlineData("Agent:Model: a model name may hold only")]
    [InlineData("Agent:WrapUpGrace must be positive")]
    [InlineData("Agent:SetupEnvironment names must be shell variable names")]
    public void EachBadValue_IsNamed(string failure)
    {
        var failures = Failures(o =>
        {
            if (failure.Contains("MaxTurns", StringComparison.Ordinal)) o.MaxTurns = 0;
            if (failure.Contains("MaxTimeout", StringComparison.Ordinal)) (o.Timeout, o.MaxTimeout) = (TimeSpan.FromHours(3), TimeSpan.FromHours(1));
            if (failure.Contains("MaxBudgetUsd", StringComparison.Ordinal)) o.MaxBudgetUsd = 0m;
            if (failure.Contains("Model", StringComparison.Ordinal)) o.Model = "opus; rm -rf /";
            if (failure.Contains("WrapUpGrace", StringComparison.Ordinal)) o.WrapUpGrace = TimeSpan.Zero;
            if (failure.Contains("SetupEnvironment", StringComparison.Ordinal)) o.SetupEnvironment["NPM-TOKEN"] = "x";
        });

        Assert.Contains(failures, f => f.StartsWith(failure, StringComparison.Ordinal));
        Assert.Single(failures);
    }
}
