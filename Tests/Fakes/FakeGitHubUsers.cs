using System.Collections.Concurrent;
using SandboxAgents.GitHub;

namespace SandboxAgents.Tests.Fakes;

/// <summary>In-memory <see cref="IGitHubUsers"/>: the service acts as <see cref="Service"/>; users are those added, others are unknown.</summary>
public sealed class FakeGitHubUsers : IGitHubUsers
{
    public GitHubAccount Service { get; set; } = new("sandbox-agents[bot]", 41898282);

    public ConcurrentDictionary<string, GitHubAccount> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<GitHubAccount> GetServiceAccountAsync(IssueKey issue, CancellationToken cancellationToken) => Task.FromResult(Service);

    public Task<GitHubAccount?> FindAsync(IssueKey issue, string login, CancellationToken cancellationToken) =>
        Task.FromResult(Users.GetValueOrDefault(login));
}
