using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>
/// The service with local sandboxes, acting as a GitHub App instead of with a token: its id and private key (a file),
/// an installation on the repository, and the App's webhook pointed at the service. The fake GitHub judges tokens and
/// JWTs by the runs' fake clock, so a test can outlive a token.
/// </summary>
public sealed class AppServiceFixture : LocalServiceFixture
{
    public FakeGitHubApp App { get; private set; } = null!;

    protected override async Task ConfigureGitHubAsync(Dictionary<string, string> settings)
    {
        App = GitHub.EnableApp(Repository);
        GitHub.Clock = Clock;
        GitHub.WebhookSecret = Secrets.WebhookSecret;
        // Read when a delivery is made, after the service has started.
        GitHub.WebhookTarget = request => Http.SendAsync(request);
        GitHub.Accounts["maintainer"] = (8_001, "Mai Ntainer", "User");
        var key = Path.Combine(Root, "app-private-key.pem");
        await File.WriteAllTextAsync(key, App.PrivateKeyPem);
        settings.Remove("GitHub:Token");
        settings["GitHub:AppId"] = FakeGitHubApp.Id;
        settings["GitHub:PrivateKeyPath"] = key;
    }
}

[CollectionDefinition(Name)]
public sealed class AppServiceCollection : ICollectionFixture<AppServiceFixture>
{
    public const string Name = "service end to end as a GitHub App";
}
