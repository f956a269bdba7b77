using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.Git;
using SandboxAgents.GitHub;

namespace SandboxAgents.Runs;

/// <summary>
/// Decides a run's <see cref="CommitAttribution"/>: authored by <c>Git:AuthorName</c>/<c>Git:AuthorEmail</c> when both
/// are set, else by the account the service acts as; co-authored by the requester with their GitHub address
/// (<c>{id}+{login}@users.noreply.github.com</c>), or by login alone when GitHub cannot be asked about them.
/// </summary>
public sealed partial class CommitAttributor(IGitHubUsers users, IOptions<GitOptions> git, ILogger<CommitAttributor> logger)
{
    public async Task<CommitAttribution> DecideAsync(IssueKey issue, string requestedBy, CancellationToken cancellationToken)
    {
        var (name, email) = git.Value.HasExplicitAuthor
            ? (git.Value.AuthorName!, git.Value.AuthorEmail!)
            : await ServiceAuthorAsync(issue, cancellationToken);
        return new CommitAttribution(name, email, await CoAuthorAsync(issue, requestedBy, cancellationToken));
    }

    private async Task<(string Name, string Email)> ServiceAuthorAsync(IssueKey issue, CancellationToken cancellationToken)
    {
        var account = await users.GetServiceAccountAsync(issue, cancellationToken);
        return (account.Login, account.NoReplyEmail);
    }

    private async Task<string> CoAuthorAsync(IssueKey issue, string login, CancellationToken cancellationToken)
    {
        try
        {
            if (await users.FindAsync(issue, login, cancellationToken) is { } user)
                return $"{(string.IsNullOrWhiteSpace(user.Name) ? user.Login : user.Name)} <{user.NoReplyEmail}>";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLookupFailed(logger, ex, issue, login);
        }

        return $"{login} <{login}@users.noreply.github.com>";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: could not look up @{Login}; the commit names the login alone")]
    private static partial void LogLookupFailed(ILogger logger, Exception exception, IssueKey issue, string login);
}
