using Microsoft.Extensions.Options;
using Octokit;
using Octokit.Internal;

namespace SandboxAgents.GitHub;

/// <summary>
/// The service's one Octokit client: one <see cref="Connection"/> over one shared HTTP client, whose credentials are
/// those of the call being made (a run's token, the service's token, the App's JWT), so no call builds a client.
/// Octokit maps any non-github.com base URL to <c>/api/v3/</c> (GHES), for raw calls through
/// <see cref="IGitHubClient.Connection"/> too.
/// </summary>
public sealed class GitHubApi
{
    private readonly CallCredentials _credentials = new();

    public GitHubApi(IOptions<GitHubOptions> options)
    {
        var connection = new Connection(
            new ProductHeaderValue("sandbox-agents"), ApiBase(options.Value.ApiUrl), _credentials, new HttpClientAdapter(HttpMessageHandlerFactory.CreateDefault), new SimpleJsonSerializer());
        Client = new GitHubClient(connection);
    }

    private GitHubClient Client { get; }

    /// <summary>Makes one call with the given credentials; other calls at the same time keep theirs.</summary>
    public async Task<T> CallAsync<T>(Credentials credentials, Func<IGitHubClient, Task<T>> call)
    {
        using (_credentials.Use(credentials)) return await call(Client);
    }

    /// <summary>
    /// The REST base as <see cref="GitHubClient"/> makes it (a bare <see cref="Connection"/> does not): github.com's
    /// API, or <c>/api/v3/</c> on any other host (GitHub Enterprise Server).
    /// </summary>
    public static Uri ApiBase(Uri configured) =>
        configured.Host is "github.com" or "api.github.com" ? GitHubClient.GitHubApiUrl : new Uri(configured, "/api/v3/");

    /// <summary>A token as GitHub takes it for REST calls (<c>Authorization: token …</c>); anonymous when there is none.</summary>
    public static Credentials Token(string? token) => string.IsNullOrEmpty(token) ? Credentials.Anonymous : new Credentials(token);

    /// <summary>Octokit asks for credentials on every request; these are the ones the current call flow set.</summary>
    private sealed class CallCredentials : ICredentialStore
    {
        private readonly AsyncLocal<Credentials?> _current = new();

        public Task<Credentials> GetCredentials() => Task.FromResult(_current.Value ?? Credentials.Anonymous);

        public IDisposable Use(Credentials credentials)
        {
            var previous = _current.Value;
            _current.Value = credentials;
            return new Restore(this, previous);
        }

        private sealed class Restore(CallCredentials store, Credentials? previous) : IDisposable
        {
            public void Dispose() => store._current.Value = previous;
        }
    }
}
