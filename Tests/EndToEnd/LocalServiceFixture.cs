namespace SandboxAgents.Tests.EndToEnd;

/// <summary>The service with local sandboxes (inside bubblewrap when it is installed, as in CI).</summary>
public class LocalServiceFixture : ServiceFixture
{
    public string SandboxRoot => Path.Combine(Root, "sandboxes");

    public override bool HasLiveSandboxes => Directory.Exists(SandboxRoot) && Directory.GetDirectories(SandboxRoot).Length > 0;

    protected override Task<IReadOnlyDictionary<string, string>> StartSandboxesAsync(string agentsFolder) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
        {
            ["Sandbox:Local:Root"] = SandboxRoot,
            ["Sandbox:Local:ReadOnlyPaths:0"] = agentsFolder,
        });
}

[CollectionDefinition(Name)]
public sealed class LocalServiceCollection : ICollectionFixture<LocalServiceFixture>
{
    public const string Name = "service end to end, local sandboxes";
}
