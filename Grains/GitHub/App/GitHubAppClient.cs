using Octokit;
using Octokit.Internal;

namespace SandboxAgents.GitHub.App;

/// <summary>
/// The App endpoints the service calls, over the shared <see cref="GitHubApi"/>. Octokit has no call for a scoped
/// installation token, for revoking one or for webhook deliveries, so those go through its raw connection.
/// </summary>
public sealed class GitHubAppClient(GitHubApi api, AppJwt jwt)
{
    private const string Json = "application/vnd.github+json";

    private Credentials AsApp => new(jwt.Create(), AuthenticationType.Bearer);

    /// <summary>The installation of the App on the repository (<c>GET /repos/{owner}/{repo}/installation</c>).</summary>
    public Task<long> FindInstallationAsync(string owner, string repository) =>
        api.CallAsync(AsApp, async client => (await client.GitHubApps.GetRepositoryInstallationForCurrent(owner, repository)).Id);

    /// <summary>A token of the installation for the one repository with only the permissions named.</summary>
    public Task<AccessToken> CreateTokenAsync(long installationId, string repository, IReadOnlyDictionary<string, string> permissions, CancellationToken cancellationToken) =>
        api.CallAsync(AsApp, async client =>
        {
            var uri = new Uri($"app/installations/{installationId}/access_tokens", UriKind.Relative);
            var body = new Dictionary<string, object> { ["repositories"] = new[] { repository }, ["permissions"] = permissions };
            var response = await client.Connection.Post<AccessToken>(uri, body, Json, "application/json", parameters: null, cancellationToken);
            return response.Body;
        });

    /// <summary>Revokes an installation token (<c>DELETE /installation/token</c>, authenticated with the token itself).</summary>
    public Task RevokeAsync(string token) =>
        api.CallAsync(GitHubApi.Token(token), client => client.Connection.Delete(new Uri("installation/token", UriKind.Relative)));

    /// <summary>The App's slug (<c>GET /app</c>).</summary>
    public Task<string> GetSlugAsync() => api.CallAsync(AsApp, async client => (await client.GitHubApps.GetCurrent()).Slug);

    /// <summary>A user by login (<c>GET /users/{login}</c>), asked with the given token.</summary>
    public Task<User> GetUserAsync(string login, string? token) => api.CallAsync(GitHubApi.Token(token), client => client.User.Get(login));

    /// <summary>One page of the App's webhook deliveries, newest first, and the link to the next page if there is one.</summary>
    public Task<(IReadOnlyList<HookDelivery> Deliveries, Uri? Next)> ListDeliveriesAsync(Uri? page, CancellationToken cancellationToken) =>
        api.CallAsync(AsApp, async client =>
        {
            var uri = page ?? new Uri("app/hook/deliveries?per_page=100", UriKind.Relative);
            var response = await client.Connection.Get<List<HookDelivery>>(uri, null, Json, cancellationToken);
            var next = response.HttpResponse.ApiInfo.Links.TryGetValue("next", out var link) ? link : null;
            return ((IReadOnlyList<HookDelivery>)response.Body, next);
        });

    /// <summary>Asks GitHub to send a delivery again (<c>POST /app/hook/deliveries/{id}/attempts</c>).</summary>
    public Task RedeliverAsync(long deliveryId, CancellationToken cancellationToken) =>
        api.CallAsync(AsApp, client => client.Connection.Post(new Uri($"app/hook/deliveries/{deliveryId}/attempts", UriKind.Relative), new { }, Json, cancellationToken));
}

/// <summary>One item of <c>GET /app/hook/deliveries</c> (Octokit's serializer maps the snake_case names).</summary>
public sealed class HookDelivery
{
    public long Id { get; set; }

    /// <summary>The event's GUID (<c>X-GitHub-Delivery</c>), the same for every attempt at it.</summary>
    [Parameter(Key = "guid")]
    public string EventGuid { get; set; } = "";

    public DateTimeOffset DeliveredAt { get; set; }

    public bool Redelivery { get; set; }

    public string Status { get; set; } = "";

    public int StatusCode { get; set; }

    public string Event { get; set; } = "";

    public string? Action { get; set; }

    public long? InstallationId { get; set; }

    public bool Succeeded => string.Equals(Status, "OK", StringComparison.OrdinalIgnoreCase);
}
