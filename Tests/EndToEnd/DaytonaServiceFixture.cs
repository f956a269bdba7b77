using SandboxAgents.Hosting;
using SandboxAgents.Tests.Fakes.Daytona;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>
/// The service with Daytona sandboxes, switched on by the feature flag <c>USE_DAYTONA_SANDBOXES=true</c>, talking
/// to the fake Daytona (whose session commands are real local processes, so the real runner and git work).
/// </summary>
public sealed class DaytonaServiceFixture : ServiceFixture
{
    public FakeDaytonaServer Daytona { get; private set; } = null!;

    public override bool HasLiveSandboxes => Daytona.LiveSandboxes.Count > 0;

    protected override async Task<IReadOnlyDictionary<string, string>> StartSandboxesAsync(string agentsFolder)
    {
        Daytona = await FakeDaytonaServer.StartAsync();
        return new Dictionary<string, string>
        {
            [SandboxProviderExtensions.DaytonaFlag] = "true",
            ["Daytona:ApiUrl"] = Daytona.ApiUrl.ToString(),
            ["Daytona:ApiKey"] = FakeDaytonaServer.ApiKey,
            ["Daytona:StartPollInterval"] = "00:00:00.010",
            ["Daytona:RetryDelay"] = "00:00:00.020",
            ["Daytona:AttemptTimeout"] = "00:00:05",
            // Daytona sandboxes have no route to the service's model relay: the agent is given a key of its own.
            ["Agent:ModelApiKey"] = "",
            ["Agent:Environment:ANTHROPIC_API_KEY"] = AnthropicKey,
        };
    }

    protected override async ValueTask StopSandboxesAsync()
    {
        if (Daytona is not null) await Daytona.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DaytonaServiceCollection : ICollectionFixture<DaytonaServiceFixture>
{
    public const string Name = "service end to end, Daytona sandboxes";
}
