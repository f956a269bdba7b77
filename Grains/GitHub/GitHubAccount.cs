namespace SandboxAgents.GitHub;

/// <summary>A GitHub user (or an App's bot user) as commits name it.</summary>
public sealed record GitHubAccount(string Login, long Id, string? Name = null)
{
    /// <summary>GitHub's private commit address, which links a commit to the account: <c>{id}+{login}@users.noreply.github.com</c>.</summary>
    public string NoReplyEmail => $"{Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}+{Login}@users.noreply.github.com";
}
