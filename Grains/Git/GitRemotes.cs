using System.Text;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;

namespace SandboxAgents.Git;

/// <summary>
/// The remote of an issue's repository (<c>{GitHub:GitUrl}{owner}/{repo}.git</c>) and the environment that gives the
/// service's git its token: an <c>http.extraHeader</c> through <c>GIT_CONFIG_*</c>, never the URL or a config file.
/// A <c>file://</c> remote gets no token. The token is the run's own (see <see cref="IGitHubCredentials"/>).
/// </summary>
public sealed class GitRemotes(IOptions<GitHubOptions> gitHub, IGitHubCredentials credentials)
{
    public async Task<GitRemote> ForAsync(IssueKey issue, string runId, CancellationToken cancellationToken)
    {
        var url = gitHub.Value.CloneUrl(issue);
        if (url.Scheme is not ("https" or "http")) return new GitRemote(url.AbsoluteUri, null);
        var token = await credentials.GetTokenAsync(GitHubTokenScope.ForRun(issue, runId), cancellationToken);
        if (string.IsNullOrEmpty(token)) return new GitRemote(url.AbsoluteUri, null);
        var header = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + token));
        return new GitRemote(url.AbsoluteUri, new Dictionary<string, string>
        {
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = "http.extraHeader",
            ["GIT_CONFIG_VALUE_0"] = header,
        });
    }
}

/// <summary>A remote's URL and the environment a git process talking to it needs (null: none).</summary>
public sealed record GitRemote(string Url, IReadOnlyDictionary<string, string>? Environment);
