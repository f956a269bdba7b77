using System.Security.Cryptography;
using System.Text;

namespace SandboxAgents.Runs;

/// <summary>The names a run is known by: its id, its branch and its sandbox's deterministic name.</summary>
public static class RunIdentity
{
    public static string NewRunId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string ShortId(string runId) => runId.Length <= 8 ? runId : runId[..8];

    /// <summary><c>agent/issue-N-xxxxxxxx</c>, or with a repository's own prefix (see <see cref="RepositoryConfig.BranchPrefix"/>).</summary>
    public static string Branch(IssueKey issue, string runId, string prefix = RepositoryConfig.BranchPrefix.Default) =>
        $"{prefix}issue-{issue.Number}-{ShortId(runId)}";

    /// <summary>
    /// <c>sa-{repo}-{number}-{runId}</c>, at most 63 characters of [a-z0-9-]. The same run always gets the same name,
    /// which is what makes a repeated create safe.
    /// </summary>
    public static string SandboxName(IssueKey issue, string runId)
    {
        var repository = new string([.. issue.Repository.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        var owner = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issue.Owner)))[..6];
        var name = $"sa-{owner}-{repository}";
        var suffix = $"-{issue.Number}-{runId}";
        return (name.Length + suffix.Length > 63 ? name[..(63 - suffix.Length)] : name) + suffix;
    }
}
