using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>
/// The silo quotes <c>Triggers:Command</c> in its status comments and the gateway matches comments against it: a bad
/// value stops the start in every role, with the setting named, instead of a service that never hears its trigger.
/// </summary>
public sealed class TriggersStartupTests : IDisposable
{
    private readonly DirectoryInfo _root = OpenTempFolder.Create("sandbox-agents-triggers-");

    [Theory]
    [InlineData("all")]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void Start_CommandWithABacktick_FailsNamingTheSetting(string role)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Service:Role", role);
            web.UseSetting("Triggers:Command", "`/agent`");
            web.UseSetting("GitHub:WebhookSecret", "triggers-webhook-secret");
            web.UseSetting("GitHub:Token", FakeGitHubServer.Token);
            web.UseSetting("Storage:Provider", "memory");
            web.UseSetting("Storage:Path", Path.Combine(_root.FullName, "data"));
            web.UseSetting("Sandbox:Local:Root", Path.Combine(_root.FullName, "sandboxes"));
            // The gateway role is a cluster client; it fails before it would look for a silo there.
            web.UseSetting("Redis:ConnectionString", "127.0.0.1:6379");
            web.UseSetting("Orleans:SiloPort", ServiceFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:GatewayPort", ServiceFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:ClusterId", "triggers-" + Guid.NewGuid().ToString("N")[..8]);
        });

        var failure = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Equal(typeof(TriggerOptions), failure.OptionsType);
        Assert.Contains("Triggers:Command '`/agent`' must not contain a backtick", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
