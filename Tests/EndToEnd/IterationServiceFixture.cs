using System.Globalization;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>
/// The service with local sandboxes whose fix loop gives up after <see cref="MaxFixAttempts"/> fix runs, so reaching
/// the cap costs two runs, not three. Its fake GitHub opens a pull request at the commit the bare repository's branch
/// holds, as GitHub does, so the checks a test fails name a head the service really pushed.
/// </summary>
public sealed class IterationServiceFixture : LocalServiceFixture
{
    public const int MaxFixAttempts = 2;

    /// <summary>The commit <paramref name="branch"/> points at in the bare repository.</summary>
    public string HeadOf(string branch) => BareRepository.Git(Git.Path, "rev-parse", $"refs/heads/{branch}").Trim();

    protected override async Task<IReadOnlyDictionary<string, string>> StartSandboxesAsync(string agentsFolder) =>
        new Dictionary<string, string>(await base.StartSandboxesAsync(agentsFolder))
        {
            ["Runs:MaxFixAttempts"] = MaxFixAttempts.ToString(CultureInfo.InvariantCulture),
        };

    protected override Task ConfigureGitHubAsync(Dictionary<string, string> settings)
    {
        GitHub.BranchHead = (_, branch) => HeadOf(branch);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class IterationServiceCollection : ICollectionFixture<IterationServiceFixture>
{
    public const string Name = "service end to end, iterating on pull requests, local sandboxes";
}
