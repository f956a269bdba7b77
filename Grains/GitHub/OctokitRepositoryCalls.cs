using Octokit;

namespace SandboxAgents.GitHub;

/// <summary>
/// A call on a repository as every Octokit adapter makes it: over the shared client, with the token of the repository
/// and of the run being driven, if any (<see cref="GitHubRunScope"/>), and through <see cref="OctokitFailures"/>, so
/// callers see the port's exceptions, never Octokit's.
/// </summary>
internal static class OctokitRepositoryCalls
{
    public static Task<T> CallAsync<T>(
        GitHubApi api, IGitHubCredentials credentials, string owner, string repository, Func<IGitHubClient, Task<T>> call, CancellationToken cancellationToken) =>
        OctokitFailures.GuardAsync(async () =>
        {
            var token = await credentials.GetTokenAsync(GitHubTokenScope.Current(owner, repository), cancellationToken);
            return await api.CallAsync(GitHubApi.Token(token), call);
        }, cancellationToken);

    /// <summary>GitHub's 404 as an answer ("no such thing"), before the failure translation would make it a refusal.</summary>
    public static async Task<T?> OrNullIfNotFoundAsync<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (NotFoundException)
        {
            return null;
        }
    }
}
